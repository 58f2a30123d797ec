import type { XNode } from './xml-node.js'
import type { JsonLdPrefixes } from './jsonld-prefixes.js'
import type { JsonObject, JsonValue } from './json-value.js'
import { addRepeatable } from './json-value.js'
import { isEpcisNamespace, isXmlMachineryNamespace } from './namespaces.js'

/** The key an XML name gets in JSON-LD: `prefix:local` for a namespaced name, the bare local name otherwise. */
export function jsonKey(uri: string, prefix: string, local: string, prefixes: JsonLdPrefixes): string {
  if (isEpcisNamespace(uri)) return local
  return `${prefixes.prefixFor(uri, prefix)}:${local}`
}

/**
 * A user extension element as JSON-LD, following the shape of the GS1 examples that exist in both bindings:
 * - an element with only text becomes that text, as a string (the JSON-LD binding cannot know its type;
 *   xsi:type is not carried over), an empty element becomes "";
 * - an element with child elements becomes an object keyed by the children's names, repeated names become arrays;
 * - attributes (other than xmlns and xsi) become properties of that object, named like elements, and when such an
 *   element also has text, the text goes under "#text". The standard defines no JSON form for attributes of
 *   extension elements; this keeps their data and the JSON-LD expansion of the namespaced ones.
 */
export function extensionValue(node: XNode, prefixes: JsonLdPrefixes): JsonValue {
  const attributes = node.attributes.filter((attribute) => !isXmlMachineryNamespace(attribute.uri))
  if (node.children.length === 0 && attributes.length === 0) return node.text
  const value: JsonObject = {}
  for (const attribute of attributes) {
    addRepeatable(value, jsonKey(attribute.uri, attribute.prefix, attribute.local, prefixes), attribute.value)
  }
  for (const child of node.children) {
    addRepeatable(value, jsonKey(child.uri, child.prefix, child.local, prefixes), extensionValue(child, prefixes))
  }
  const text = node.text.trim()
  if (text !== '') value['#text'] = node.children.length === 0 ? node.text : text
  return value
}

/** Adds the namespaced attributes of an EPCIS element (its `anyAttribute` extensions) to `target`. */
export function addExtensionAttributes(node: XNode, target: JsonObject, prefixes: JsonLdPrefixes): void {
  for (const attribute of node.attributes) {
    if (attribute.uri === '' || isXmlMachineryNamespace(attribute.uri) || isEpcisNamespace(attribute.uri)) continue
    addRepeatable(target, jsonKey(attribute.uri, attribute.prefix, attribute.local, prefixes), attribute.value)
  }
}
