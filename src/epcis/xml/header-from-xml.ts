import { XmlInputError } from './errors.js'
import type { XNode } from './xml-node.js'
import { attributeValue, simpleText } from './xml-node.js'
import type { JsonLdPrefixes } from './jsonld-prefixes.js'
import type { JsonObject } from './json-value.js'
import { addRepeatable } from './json-value.js'
import { NS, isEpcisNamespace, isXmlMachineryNamespace } from './namespaces.js'
import { addExtensionAttributes, extensionValue, jsonKey } from './extension-from-xml.js'

export interface HeaderParts {
  epcisHeader: JsonObject
  /** The document-level fields the JSON binding has for the SBDH's sender, receiver and instance identifier. */
  sender?: string
  receiver?: string
  instanceIdentifier?: string
}

/**
 * `<EPCISHeader>`: the SBDH is kept whole as a namespaced property (`sbdh:StandardBusinessDocumentHeader`,
 * converted like any extension element) and its sender, receiver and instance identifier are also copied to the
 * document-level `sender`, `receiver`, `instanceIdentifier` fields of the JSON binding. Master data
 * (`extension/EPCISMasterData/VocabularyList`) becomes `epcisMasterData.vocabularyList`.
 */
export function headerFromXml(node: XNode, prefixes: JsonLdPrefixes): HeaderParts {
  const epcisHeader: JsonObject = {}
  const parts: HeaderParts = { epcisHeader }
  addExtensionAttributes(node, epcisHeader, prefixes)
  for (const child of node.children) {
    if (child.uri === NS.sbdh && child.local === 'StandardBusinessDocumentHeader') {
      epcisHeader[jsonKey(child.uri, child.prefix, child.local, prefixes)] = extensionValue(child, prefixes)
      Object.assign(parts, sbdhSummary(child))
    } else if (!isEpcisNamespace(child.uri)) {
      if (!isXmlMachineryNamespace(child.uri)) {
        addRepeatable(epcisHeader, jsonKey(child.uri, child.prefix, child.local, prefixes), extensionValue(child, prefixes))
      }
    } else if (child.local === 'extension') {
      readHeaderExtension(child, epcisHeader, prefixes)
    } else {
      throw new XmlInputError('structure', `Unexpected element <${child.local}> in <EPCISHeader>`, child.line)
    }
  }
  return parts
}

function readHeaderExtension(node: XNode, epcisHeader: JsonObject, prefixes: JsonLdPrefixes): void {
  for (const child of node.children) {
    if (!isEpcisNamespace(child.uri) || child.local === 'extension') continue
    if (child.local !== 'EPCISMasterData') {
      throw new XmlInputError('structure', `Unexpected element <${child.local}> in <EPCISHeader><extension>`, child.line)
    }
    const vocabularyList = child.children.find((grandChild) => isEpcisNamespace(grandChild.uri) && grandChild.local === 'VocabularyList')
    if (vocabularyList === undefined) throw new XmlInputError('structure', '<EPCISMasterData> has no <VocabularyList>', child.line)
    epcisHeader.epcisMasterData = { vocabularyList: vocabularyListFromXml(vocabularyList, prefixes) }
  }
}

function sbdhSummary(sbdh: XNode): Omit<HeaderParts, 'epcisHeader'> {
  const find = (node: XNode | undefined, local: string) => node?.children.find((child) => child.uri === NS.sbdh && child.local === local)
  const summary: Omit<HeaderParts, 'epcisHeader'> = {}
  const sender = find(find(sbdh, 'Sender'), 'Identifier')
  const receiver = find(find(sbdh, 'Receiver'), 'Identifier')
  const instance = find(find(sbdh, 'DocumentIdentification'), 'InstanceIdentifier')
  if (sender) summary.sender = simpleText(sender)
  if (receiver) summary.receiver = simpleText(receiver)
  if (instance) summary.instanceIdentifier = simpleText(instance)
  return summary
}

/** `<VocabularyList>` (header master data, master data documents, master data query results). */
export function vocabularyListFromXml(node: XNode, prefixes: JsonLdPrefixes): JsonObject[] {
  return epcisChildren(node, 'Vocabulary').map((vocabularyNode) => {
    const type = attributeValue(vocabularyNode, 'type')
    if (type === undefined) throw new XmlInputError('structure', '<Vocabulary> has no type attribute', vocabularyNode.line)
    const vocabulary: JsonObject = { type: type.trim() }
    addExtensionAttributes(vocabularyNode, vocabulary, prefixes)
    for (const child of vocabularyNode.children) {
      if (!isEpcisNamespace(child.uri)) {
        addExtension(vocabulary, child, prefixes)
      } else if (child.local === 'VocabularyElementList') {
        vocabulary.vocabularyElementList = epcisChildren(child, 'VocabularyElement').map((element) => vocabularyElement(element, prefixes))
      } else if (child.local !== 'extension') {
        throw new XmlInputError('structure', `Unexpected element <${child.local}> in <Vocabulary>`, child.line)
      }
    }
    return vocabulary
  })
}

function vocabularyElement(node: XNode, prefixes: JsonLdPrefixes): JsonObject {
  const id = attributeValue(node, 'id')
  if (id === undefined) throw new XmlInputError('structure', '<VocabularyElement> has no id attribute', node.line)
  const element: JsonObject = { id: id.trim() }
  const attributes: JsonObject[] = []
  let children: string[] | undefined
  addExtensionAttributes(node, element, prefixes)
  for (const child of node.children) {
    if (!isEpcisNamespace(child.uri)) {
      addExtension(element, child, prefixes)
    } else if (child.local === 'attribute') {
      attributes.push(vocabularyAttribute(child, prefixes))
    } else if (child.local === 'children') {
      children = epcisChildren(child, 'id').map((idNode) => simpleText(idNode))
    } else if (child.local !== 'extension') {
      throw new XmlInputError('structure', `Unexpected element <${child.local}> in <VocabularyElement>`, child.line)
    }
  }
  if (attributes.length > 0) element.attributes = attributes
  // An empty <children/> means the same as none at all (XSD comment).
  if (children !== undefined && children.length > 0) element.children = children
  return element
}

/** `<attribute id="...">`: text stays a string, element content becomes an object as for extensions. */
function vocabularyAttribute(node: XNode, prefixes: JsonLdPrefixes): JsonObject {
  const id = attributeValue(node, 'id')
  if (id === undefined) throw new XmlInputError('structure', '<attribute> has no id attribute', node.line)
  const content = { ...node, attributes: node.attributes.filter((attribute) => attribute.uri !== '') }
  return { id: id.trim(), attribute: extensionValue(content, prefixes) }
}

function addExtension(target: JsonObject, child: XNode, prefixes: JsonLdPrefixes): void {
  if (isXmlMachineryNamespace(child.uri)) return
  addRepeatable(target, jsonKey(child.uri, child.prefix, child.local, prefixes), extensionValue(child, prefixes))
}

function epcisChildren(node: XNode, name: string): XNode[] {
  for (const child of node.children) {
    if (!isEpcisNamespace(child.uri) || child.local !== name) {
      throw new XmlInputError('structure', `Unexpected element <${child.local}> in <${node.local}>, expected <${name}>`, child.line)
    }
  }
  return node.children
}
