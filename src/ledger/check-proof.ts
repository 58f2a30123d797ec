import { eventHashId } from '../epcis/event-hash/index.js'
import { resolveContext } from '../epcis/json-ld-context.js'
import { entryHash } from './entry.js'
import { ledgerLeafHash } from './leaf.js'
import { verifyInclusion } from './merkle.js'

/**
 * Checks the answer of GET /events/{eventID}/proof offline, with nothing but the algorithm in the
 * README: used by `npm run verify-proof`. With the event (as GET /events/{eventID} answers it, or
 * the event alone with its @context) it also recomputes the event's CBV 2.0 hash.
 */
export interface ProofCheck {
  ok: boolean
  messages: string[]
}

type Json = Record<string, unknown>

const HEX32 = /^[0-9a-f]{64}$/

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

function hex32(value: unknown, name: string): Buffer {
  if (typeof value !== 'string' || !HEX32.test(value)) throw new Error(`${name} is not 64 lowercase hex digits`)
  return Buffer.from(value, 'hex')
}

function integer(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw new Error(`${name} is not an integer`)
  return value
}

function text(value: unknown, name: string): string {
  if (typeof value !== 'string') throw new Error(`${name} is not a string`)
  return value
}

export async function checkProofDocument(document: unknown, event?: unknown): Promise<ProofCheck> {
  const messages: string[] = []
  let ok = true
  try {
    if (!isObject(document) || !Array.isArray(document.proofs) || document.proofs.length === 0) {
      throw new Error('not a proof document: it needs eventID, head and a non-empty proofs list')
    }
    const eventId = text(document.eventID, 'eventID')
    const head = isObject(document.head) ? document.head : {}
    const headSeq = integer(head.seq, 'head.seq')
    const headHash = hex32(head.entryHash, 'head.entryHash')
    const hashes: string[] = []
    document.proofs.forEach((proof, i) => {
      const failure = checkOne(proof, eventId, headSeq, headHash, `proofs[${i}]`)
      hashes.push(isObject(proof) ? String(proof.eventHash) : '')
      if (failure) {
        ok = false
        messages.push(failure)
      } else {
        messages.push(`proofs[${i}]: event ${eventId} is leaf ${(proof as Json).leafIndex} of entry ${((proof as Json).entry as Json).seq}`)
      }
    })
    if (event !== undefined) {
      const failure = await checkEvent(event, eventId, hashes)
      if (failure) {
        ok = false
        messages.push(failure)
      } else {
        messages.push(`the event's CBV 2.0 hash is the one the proof commits to`)
      }
    }
  } catch (error) {
    return { ok: false, messages: [...messages, (error as Error).message] }
  }
  return { ok, messages }
}

function checkOne(proof: unknown, eventId: string, headSeq: number, headHash: Buffer, name: string): string | undefined {
  if (!isObject(proof) || !isObject(proof.entry)) return `${name}: not a proof`
  const entry = proof.entry
  const fields = {
    seq: integer(entry.seq, `${name}.entry.seq`),
    time: new Date(text(entry.time, `${name}.entry.time`)),
    leafCount: integer(entry.leafCount, `${name}.entry.leafCount`),
    merkleRoot: hex32(entry.merkleRoot, `${name}.entry.merkleRoot`),
    previousHash: hex32(entry.previousHash, `${name}.entry.previousHash`),
  }
  if (Number.isNaN(fields.time.getTime()) || fields.time.toISOString() !== entry.time) {
    return `${name}: entry.time is not an ISO 8601 UTC time with milliseconds`
  }
  if (!entryHash(fields).equals(hex32(entry.entryHash, `${name}.entry.entryHash`))) {
    return `${name}: the entry's fields do not hash to its entryHash`
  }
  if (fields.seq > headSeq) return `${name}: entry ${fields.seq} is after the head (${headSeq})`
  if (fields.seq === headSeq && !headHash.equals(Buffer.from(entry.entryHash as string, 'hex'))) {
    return `${name}: the entry is the head but its hash is not the head's`
  }
  if (!Array.isArray(proof.auditPath)) return `${name}: auditPath is not a list`
  const path = proof.auditPath.map((h, i) => hex32(h, `${name}.auditPath[${i}]`))
  const leaf = ledgerLeafHash({
    eventId,
    eventHash: text(proof.eventHash, `${name}.eventHash`),
    bodyDigest: hex32(proof.bodyDigest, `${name}.bodyDigest`).toString('hex'),
  })
  if (!verifyInclusion(leaf, integer(proof.leafIndex, `${name}.leafIndex`), fields.leafCount, path, fields.merkleRoot)) {
    return `${name}: the audit path does not lead from the event's leaf to the entry's Merkle root`
  }
  return undefined
}

/** The events in what GET /events/{eventID} answers (a query document), or the event itself. */
function eventsIn(input: unknown): Array<{ event: Json; context: unknown }> {
  if (!isObject(input)) return []
  const body = isObject(input.epcisBody) ? input.epcisBody : undefined
  const results = body && isObject(body.queryResults) && isObject(body.queryResults.resultsBody) ? body.queryResults.resultsBody : undefined
  const list = results?.eventList ?? body?.eventList
  if (Array.isArray(list)) {
    return list.filter(isObject).map((event) => ({ event, context: event['@context'] ?? input['@context'] }))
  }
  return [{ event: input, context: input['@context'] }]
}

async function checkEvent(input: unknown, eventId: string, proofHashes: string[]): Promise<string | undefined> {
  const candidates = eventsIn(input).filter(({ event }) => event.eventID === eventId)
  if (candidates.length === 0) return `the event file holds no event with eventID ${eventId}`
  for (const { event, context } of candidates) {
    const { '@context': _ignored, ...fields } = event
    const { namespaces } = await resolveContext(context, [])
    if (proofHashes.includes(eventHashId(fields, namespaces))) return undefined
  }
  return `no event in the event file has the CBV 2.0 hash the proof commits to`
}
