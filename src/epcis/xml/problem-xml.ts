import { XmlWriter, isNcName } from './xml-writer.js'
import { scalarText } from './extension-to-xml.js'
import { isJsonObject } from './json-value.js'
import { NS } from './namespaces.js'

export interface ProblemDetails {
  type: string
  title: string
  status: number
  detail?: string
  instance?: string
  /** Extension members; written as RFC 7807 appendix A describes (arrays as <i> items). */
  [extension: string]: unknown
}

const STANDARD_MEMBERS = ['type', 'title', 'status', 'detail', 'instance']

/** An `application/problem+xml` body (RFC 7807 appendix A, namespace urn:ietf:rfc:7807). */
export function renderProblemXml(problem: ProblemDetails): string {
  const writer = new XmlWriter(1)
  for (const member of STANDARD_MEMBERS) {
    const value = problem[member]
    if (value !== undefined && value !== null) writer.leaf(member, scalarText(value))
  }
  for (const [member, value] of Object.entries(problem)) {
    if (!STANDARD_MEMBERS.includes(member) && isNcName(member) && value !== undefined) writeMember(writer, member, value)
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<problem xmlns="${NS.problem}">${writer.toString()}\n</problem>\n`
}

function writeMember(writer: XmlWriter, name: string, value: unknown): void {
  if (Array.isArray(value)) {
    writer.start(name)
    for (const item of value) writeMember(writer, 'i', item)
    writer.end(name)
  } else if (isJsonObject(value)) {
    writer.start(name)
    for (const [key, member] of Object.entries(value)) if (isNcName(key)) writeMember(writer, key, member)
    writer.end(name)
  } else {
    writer.leaf(name, scalarText(value))
  }
}
