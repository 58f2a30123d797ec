import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { schemasDir } from '../../paths.js'

/** The CBV / GS1 Web Vocabulary fields whose values may be written in more than one form. */
export type VocabularyKind =
  | 'bizStep'
  | 'disposition'
  | 'bizTransactionType'
  | 'sourceDestType'
  | 'errorReason'
  | 'measurementType'
  | 'sensorAlertType'
  | 'component'

export const VOCABULARY_KINDS: readonly VocabularyKind[] = [
  'bizStep',
  'disposition',
  'bizTransactionType',
  'sourceDestType',
  'errorReason',
  'measurementType',
  'sensorAlertType',
  'component',
]

export const CBV_WEB_URI_BASE = 'https://ref.gs1.org/cbv/'
/** The `gs1` prefix of the ratified EPCIS 2.0 context (and of CBV 2.0 section 8.9). */
export const GS1_VOC_BASE = 'https://gs1.org/voc/'

/** How one kind's terms are spelled: Web URI `<base><webPrefix><word>`, CURIE `<curiePrefix>:<webPrefix><word>`. */
export interface KindSpelling {
  base: string
  curiePrefix: 'cbv' | 'gs1'
  /** "BizStep-", "Disp-", ...; empty for GS1 Web Vocabulary terms. */
  webPrefix: string
  /** CBV 1.x URN prefix ("urn:epcglobal:cbv:bizstep:"); absent where CBV 1.x had no URN (sensor vocabularies). */
  urnPrefix?: string
}

/** URN spellings from CBV 1.2 / 2.0 section 6 (bizstep, disp, btt, sdt, er). */
export const SPELLINGS: Readonly<Record<VocabularyKind, KindSpelling>> = {
  bizStep: { base: CBV_WEB_URI_BASE, curiePrefix: 'cbv', webPrefix: 'BizStep-', urnPrefix: 'urn:epcglobal:cbv:bizstep:' },
  disposition: { base: CBV_WEB_URI_BASE, curiePrefix: 'cbv', webPrefix: 'Disp-', urnPrefix: 'urn:epcglobal:cbv:disp:' },
  bizTransactionType: { base: CBV_WEB_URI_BASE, curiePrefix: 'cbv', webPrefix: 'BTT-', urnPrefix: 'urn:epcglobal:cbv:btt:' },
  sourceDestType: { base: CBV_WEB_URI_BASE, curiePrefix: 'cbv', webPrefix: 'SDT-', urnPrefix: 'urn:epcglobal:cbv:sdt:' },
  errorReason: { base: CBV_WEB_URI_BASE, curiePrefix: 'cbv', webPrefix: 'ER-', urnPrefix: 'urn:epcglobal:cbv:er:' },
  measurementType: { base: GS1_VOC_BASE, curiePrefix: 'gs1', webPrefix: '' },
  sensorAlertType: { base: GS1_VOC_BASE, curiePrefix: 'gs1', webPrefix: '' },
  component: { base: CBV_WEB_URI_BASE, curiePrefix: 'cbv', webPrefix: 'Comp-' },
}

type Json = Record<string, unknown>

function child(node: unknown, ...path: string[]): Json {
  let current = node
  for (const key of path) {
    if (current === null || typeof current !== 'object') throw new Error(`EPCIS context: no ${path.join('.')}`)
    current = (current as Json)[key]
  }
  if (current === null || typeof current !== 'object' || Array.isArray(current)) {
    throw new Error(`EPCIS context: ${path.join('.')} is not an object`)
  }
  return current as Json
}

/** Where each kind's term list sits in the ratified EPCIS 2.0 JSON-LD context. */
const TERM_PATHS: Readonly<Record<VocabularyKind, readonly string[]>> = {
  bizStep: ['bizStep', '@context'],
  disposition: ['disposition', '@context'],
  bizTransactionType: ['bizTransactionList', '@context', 'type', '@context'],
  sourceDestType: ['sourceList', '@context', 'type', '@context'],
  errorReason: ['errorDeclaration', '@context', 'reason', '@context'],
  measurementType: ['sensorElementList', '@context', 'sensorReport', '@context', 'type', '@context'],
  sensorAlertType: ['sensorElementList', '@context', 'sensorReport', '@context', 'exception', '@context'],
  component: ['sensorElementList', '@context', 'sensorReport', '@context', 'component', '@context'],
}

const rootContext = child(
  JSON.parse(readFileSync(join(schemasDir, 'gs1', 'context', 'epcis-context.ref.gs1.org-2.0.0.jsonld'), 'utf8')),
  '@context',
)

/**
 * The prefixes that the ratified EPCIS 2.0 context itself defines (epcis, cbv, cbvmda, gs1, rdfs, owl,
 * xsd, dcterms): a document using that context may write CURIEs with them without declaring them.
 */
export const CONTEXT_PREFIXES: Readonly<Record<string, string>> = Object.freeze(
  Object.fromEntries(
    Object.entries(rootContext).filter(
      ([key, value]) => !key.startsWith('@') && typeof value === 'string' && /^[a-z][a-z0-9+.-]*:/i.test(value),
    ) as Array<[string, string]>,
  ),
)

/** Bare word -> term, e.g. "shipping" (Web URI "https://ref.gs1.org/cbv/BizStep-shipping"). */
function termsOf(kind: VocabularyKind): string[] {
  const spelling = SPELLINGS[kind]
  const expected = `${spelling.curiePrefix}:${spelling.webPrefix}`
  const words: string[] = []
  for (const [word, curie] of Object.entries(child(rootContext, ...TERM_PATHS[kind]))) {
    if (word.startsWith('@')) continue
    if (curie !== `${expected}${word}`) throw new Error(`EPCIS context: ${kind} term ${word} maps to ${String(curie)}`)
    words.push(word)
  }
  if (words.length === 0) throw new Error(`EPCIS context: no ${kind} terms`)
  return words
}

if (CONTEXT_PREFIXES.cbv !== CBV_WEB_URI_BASE || CONTEXT_PREFIXES.gs1 !== GS1_VOC_BASE) {
  throw new Error('EPCIS context: unexpected cbv or gs1 prefix')
}

/** The bare words of every kind, as the ratified EPCIS 2.0 context lists them. */
export const TERMS: Readonly<Record<VocabularyKind, readonly string[]>> = Object.freeze(
  Object.fromEntries(VOCABULARY_KINDS.map((kind) => [kind, Object.freeze(termsOf(kind))])) as Record<
    VocabularyKind,
    readonly string[]
  >,
)
