import { XmlInputError } from './errors.js'

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)$/
const DOUBLE = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/

/** An xsd:decimal as a JSON number. */
export function decimalFrom(text: string, what: string, line: number): number {
  const trimmed = text.trim()
  if (!DECIMAL.test(trimmed)) throw new XmlInputError('structure', `${what} must be a decimal number, found "${trimmed}"`, line)
  return Number(trimmed)
}

/** An xsd:double as a JSON number; INF and NaN have no JSON form and are refused. */
export function doubleFrom(text: string, what: string, line: number): number {
  const trimmed = text.trim()
  if (!DOUBLE.test(trimmed)) throw new XmlInputError('structure', `${what} must be a finite number, found "${trimmed}"`, line)
  const value = Number(trimmed)
  if (!Number.isFinite(value)) throw new XmlInputError('structure', `${what} is out of range: "${trimmed}"`, line)
  return value
}

export function booleanFrom(text: string, what: string, line: number): boolean {
  const trimmed = text.trim()
  if (trimmed === 'true' || trimmed === '1') return true
  if (trimmed === 'false' || trimmed === '0') return false
  throw new XmlInputError('structure', `${what} must be true or false, found "${trimmed}"`, line)
}
