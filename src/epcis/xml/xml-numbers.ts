import { exactNumber, numberProblem, survivesDouble, type ExactNumber } from '../exact-number.js'
import { XmlInputError } from './errors.js'

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)$/
const DOUBLE = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/

/**
 * A number as JSON-LD holds it: a double when the double has the literal's value, else the literal itself
 * (an ExactNumber), as a JSON body would give it. A literal beyond a double's range, or too long to keep, is
 * refused.
 */
function jsonNumber(literal: string, what: string, line: number): number | ExactNumber {
  const value = Number(literal)
  if (survivesDouble(literal, value)) return value
  // JSON has no leading '+' or zeros, nor a bare '.5' or '5.': written as JSON numbers are.
  const json = literal.replace(/^\+/, '').replace(/^(-?)0+(?=\d)/, '$1').replace(/^(-?)\./, '$10.').replace(/\.(?=[eE]|$)/, '')
  const exact = exactNumber(json)
  const problem = numberProblem(exact)
  if (problem !== undefined) throw new XmlInputError('structure', `${what}: ${problem}`, line)
  return exact
}

/** An xsd:decimal as a JSON number. */
export function decimalFrom(text: string, what: string, line: number): number | ExactNumber {
  const trimmed = text.trim()
  if (!DECIMAL.test(trimmed)) throw new XmlInputError('structure', `${what} must be a decimal number, found "${trimmed}"`, line)
  return jsonNumber(trimmed, what, line)
}

/** An xsd:double as a JSON number; INF and NaN have no JSON form and are refused. */
export function doubleFrom(text: string, what: string, line: number): number | ExactNumber {
  const trimmed = text.trim()
  if (!DOUBLE.test(trimmed)) throw new XmlInputError('structure', `${what} must be a finite number, found "${trimmed}"`, line)
  return jsonNumber(trimmed, what, line)
}

export function booleanFrom(text: string, what: string, line: number): boolean {
  const trimmed = text.trim()
  if (trimmed === 'true' || trimmed === '1') return true
  if (trimmed === 'false' || trimmed === '0') return false
  throw new XmlInputError('structure', `${what} must be true or false, found "${trimmed}"`, line)
}
