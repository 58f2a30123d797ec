import type { XmlWriter } from './xml-writer.js'
import { isNcName } from './xml-writer.js'
import type { XmlNaming } from './xml-names.js'
import { isJsonObject } from './json-value.js'
import { isExactNumber } from '../exact-number.js'

export interface ExtensionStyle {
  /**
   * How keys without a prefix are written inside an object: as unqualified child elements (user extensions,
   * `<example:userElement><anotherElement>`), or as attributes (the SBDH, whose only unprefixed names are attributes).
   */
  unprefixed: 'element' | 'attribute'
}

const ELEMENTS: ExtensionStyle = { unprefixed: 'element' }

/**
 * A JSON-LD extension property as XML, the inverse of extension-from-xml: strings, numbers and booleans become
 * element text, objects become child elements, arrays repeat the element. Keys with no XML form (not an NCName
 * local part, an unprefixed key at a level that only takes namespaced elements) are left out.
 */
export function writeExtension(writer: XmlWriter, naming: XmlNaming, key: string, value: unknown, style: ExtensionStyle = ELEMENTS): void {
  const name = naming.qualified(key)
  if (name !== undefined) writeNamed(writer, naming, name, value, style)
}

function writeNamed(writer: XmlWriter, naming: XmlNaming, name: string, value: unknown, style: ExtensionStyle): void {
  if (Array.isArray(value)) {
    for (const item of value) writeNamed(writer, naming, name, item, style)
    return
  }
  if (!isJsonObject(value)) {
    writer.leaf(name, scalarText(value))
    return
  }
  const attributes: [string, string][] = []
  const children: [string, unknown][] = []
  for (const [key, member] of Object.entries(value)) {
    if (key === '#text') continue
    if (!key.includes(':') && style.unprefixed === 'attribute' && !isJsonObject(member) && !Array.isArray(member)) {
      if (isNcName(key)) attributes.push([key, scalarText(member)])
    } else {
      children.push([key, member])
    }
  }
  const text = value['#text']
  if (children.length === 0) {
    writer.leaf(name, text === undefined ? '' : scalarText(text), attributes)
    return
  }
  writer.start(name, attributes)
  if (text !== undefined) writer.text(scalarText(text))
  writeMembers(writer, naming, children, style)
  writer.end(name)
}

/** Writes object members as child elements: namespaced keys qualified, unprefixed ones unqualified. */
export function writeMembers(writer: XmlWriter, naming: XmlNaming, members: Iterable<[string, unknown]>, style: ExtensionStyle = ELEMENTS): void {
  for (const [key, member] of members) {
    if (key.includes(':')) writeExtension(writer, naming, key, member, style)
    else if (isNcName(key)) writeNamed(writer, naming, key, member, style)
  }
}

export function scalarText(value: unknown): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  if (isExactNumber(value)) return value.rawJSON
  return JSON.stringify(value)
}
