import { aiDefinition } from '../identifiers/ai-table.js'
import { DIGITAL_LINK_SHORT_NAMES } from '../identifiers/digital-link-short-names.js'

/**
 * The OpenAPI of the routes that take a GS1 key as the rest of their path (`/01/*`, `/links/*`,
 * `/traceability/page/*`), written so that a client fills one path parameter per AI value.
 *
 * A key's path has one segment per AI and per value; a "/" inside a value is data and is sent as
 * %2F (GS1 Digital Link URI syntax, percent-encoding of the value), so a route cannot take "%2F" for
 * a separator. Swagger UI, like every OpenAPI client, percent-encodes a path parameter whole: a single
 * `{*}` parameter would turn the separators into %2F. So each such path is documented as the paths of
 * its levels, one parameter per value.
 */

type Operation = { parameters?: Array<{ in?: string; name?: string }> } & Record<string, unknown>
type PathItem = Record<string, Operation>

interface PathParameter {
  name: string
  description: string
  example?: string
  enum?: string[]
}

const SHORT_NAME_OF = new Map([...DIGITAL_LINK_SHORT_NAMES].map(([name, ai]) => [ai, name]))
const RESOLVER_PATH = /^\/(\d{2,4})\/\{\*\}$/
const KEY_PATH = /^(\/.+)\/\{\*\}$/
/** The most key qualifiers any primary key takes (GTIN: CPV, lot, serial). */
const MAX_QUALIFIERS = 3

const EXAMPLES: Record<string, string> = { '01': '09506000134352', '414': '9506000134376', '10': 'LOT1', '21': '1001' }

function valueParameter(ai: string): PathParameter {
  const name = SHORT_NAME_OF.get(ai) ?? `ai${ai}`
  const title = aiDefinition(ai)?.title ?? ai
  return { name, description: `(${ai}) ${title}, as written in the barcode; a "/" in it is sent as %2F`, ...(EXAMPLES[ai] ? { example: EXAMPLES[ai] } : {}) }
}

/**
 * The qualifier lists documented for a primary key: none, each qualifier alone, and lot then serial. The
 * route takes every ordered subsequence of the dictionary's sequences.
 */
function qualifierLists(ai: string): string[][] {
  const lists = new Map<string, string[]>([['', []]])
  for (const sequence of aiDefinition(ai)?.dlPrimaryKey ?? []) {
    for (let mask = 1; mask < 1 << sequence.length; mask++) {
      const list = sequence.filter((_, index) => mask & (1 << index))
      lists.set(list.join('/'), list)
    }
  }
  // Swagger UI stops rendering with every combination listed (dozens more paths); these are the usual ones.
  return [...lists.values()].filter((list) => list.length <= 1 || list.join('/') === '10/21')
}

/** /01/{gtin}, /01/{gtin}/10/{lot}, /01/{gtin}/10/{lot}/21/{ser}, ...: the paths of one resolver route. */
function resolverPaths(primary: string): Array<{ path: string; parameters: PathParameter[] }> {
  const key = valueParameter(primary)
  return qualifierLists(primary).map((qualifiers) => {
    const values = qualifiers.map(valueParameter)
    return {
      path: `/${primary}/{${key.name}}${qualifiers.map((ai, index) => `/${ai}/{${values[index]!.name}}`).join('')}`,
      parameters: [key, ...values],
    }
  })
}

/** prefix/{ai}/{value}[/{qualifierAi1}/{qualifierValue1}...]: the paths of a route that takes any key. */
function anyKeyPaths(prefix: string, primaryKeys: readonly string[]): Array<{ path: string; parameters: PathParameter[] }> {
  const paths = []
  for (let count = 0; count <= MAX_QUALIFIERS; count++) {
    const parameters: PathParameter[] = [
      { name: 'ai', description: 'The primary key AI, e.g. 01 (GTIN), 414 (GLN), 00 (SSCC)', example: '01', enum: [...primaryKeys] },
      { name: 'value', description: 'Its value; a "/" in it is sent as %2F', example: EXAMPLES['01']! },
    ]
    let path = `${prefix}/{ai}/{value}`
    for (let index = 1; index <= count; index++) {
      const example = index === 1 ? { ai: '10', value: 'LOT1' } : index === 2 ? { ai: '21', value: '1001' } : undefined
      parameters.push(
        { name: `qualifierAi${index}`, description: `Key qualifier ${index}: its AI (22, 10, 21, 235, 254, ...), in the order the GS1 Syntax Dictionary allows`, ...(example ? { example: example.ai } : {}) },
        { name: `qualifierValue${index}`, description: `Key qualifier ${index}: its value`, ...(example ? { example: example.value } : {}) },
      )
      path += `/{qualifierAi${index}}/{qualifierValue${index}}`
    }
    paths.push({ path, parameters })
  }
  return paths
}

function withParameters(operation: Operation, parameters: PathParameter[]): Operation {
  const others = (operation.parameters ?? []).filter((parameter) => !(parameter.in === 'path' && parameter.name === '*'))
  const path = parameters.map(({ name, description, example, enum: values }) => ({
    in: 'path',
    name,
    required: true,
    description,
    schema: { type: 'string', ...(values ? { enum: values } : {}) },
    ...(example !== undefined ? { example } : {}),
  }))
  return { ...operation, parameters: [...path, ...others] }
}

/** Replaces each `…/{*}` path of a GS1 key by the paths of its levels, in place of the original. */
export function expandKeyPaths<T extends { paths?: object }>(document: T, primaryKeys: readonly string[], keyPrefixes: readonly string[]): T {
  if (!document.paths) return document
  const paths: Record<string, PathItem> = {}
  for (const [path, item] of Object.entries(document.paths as Record<string, PathItem>)) {
    const resolver = RESOLVER_PATH.exec(path)
    const prefix = KEY_PATH.exec(path)?.[1]
    const expanded = resolver
      ? resolverPaths(resolver[1]!)
      : prefix !== undefined && keyPrefixes.includes(prefix)
        ? anyKeyPaths(prefix, primaryKeys)
        : undefined
    if (!expanded) {
      paths[path] = item
      continue
    }
    for (const { path: levelPath, parameters } of expanded) {
      paths[levelPath] = Object.fromEntries(Object.entries(item).map(([method, operation]) => [method, withParameters(operation, parameters)]))
    }
  }
  return { ...document, paths } as T
}
