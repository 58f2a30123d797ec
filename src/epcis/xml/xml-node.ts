import type { XmlAttribute, XmlStartTag } from './guarded-sax.js'

/** One element of a subtree kept in memory (an event, the header, a vocabulary list), never the whole document. */
export interface XNode {
  uri: string
  prefix: string
  local: string
  attributes: XmlAttribute[]
  children: XNode[]
  /** Direct text content, concatenated (text between child elements included). */
  text: string
  line: number
}

export const XSI_NAMESPACE = 'http://www.w3.org/2001/XMLSchema-instance'

export function nodeFromTag(tag: XmlStartTag): XNode {
  return { uri: tag.uri, prefix: tag.prefix, local: tag.local, attributes: tag.attributes, children: [], text: '', line: tag.line }
}

/** Builds subtrees from SAX events; the caller decides which elements start one. */
export class SubtreeBuilder {
  private readonly stack: XNode[] = []

  get active(): boolean {
    return this.stack.length > 0
  }

  start(tag: XmlStartTag): void {
    this.stack.push(nodeFromTag(tag))
  }

  open(tag: XmlStartTag): void {
    const node = nodeFromTag(tag)
    this.stack.at(-1)?.children.push(node)
    this.stack.push(node)
  }

  text(text: string): void {
    const top = this.stack.at(-1)
    if (top) top.text += text
  }

  /** Closes the current element; returns the subtree root when it was the one closed. */
  close(): XNode | undefined {
    const node = this.stack.pop()
    return this.stack.length === 0 ? node : undefined
  }
}

export function attributeValue(node: XNode, local: string): string | undefined {
  return node.attributes.find((attribute) => attribute.uri === '' && attribute.local === local)?.value
}

export function isNil(node: XNode): boolean {
  const nil = node.attributes.find((attribute) => attribute.uri === XSI_NAMESPACE && attribute.local === 'nil')?.value
  return nil?.trim() === 'true' || nil?.trim() === '1'
}

/** Text of a simple-typed EPCIS element (anyURI, dateTime, token...): whitespace collapsed at the edges. */
export function simpleText(node: XNode): string {
  return node.text.trim()
}
