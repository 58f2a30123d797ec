import type { Db } from '../db/database.js'
import { ERRORS } from '../errors.js'
import type { EventVisibility } from '../traceability/visibility.js'
import { bodyDigest } from './leaf.js'
import { auditPath } from './merkle.js'
import { eventsWithLeaves, findEntry, leafHashesOf, ledgerHead, type LedgerEntryWithCapture } from './repository.js'

export interface EntryView {
  seq: number
  time: string
  captureID: string | null
  leafCount: number
  merkleRoot: string
  previousHash: string
  entryHash: string
}

export interface InclusionProof {
  eventHash: string
  bodyDigest: string
  leafIndex: number
  auditPath: string[]
  entry: EntryView
}

export interface EventProofs {
  eventID: string
  algorithm: 'nguon-ledger-v1'
  head: { seq: number; entryHash: string }
  proofs: InclusionProof[]
}

export function entryView(entry: LedgerEntryWithCapture): EntryView {
  return {
    seq: entry.seq,
    time: entry.created_at.toISOString(),
    captureID: entry.capture_id,
    leafCount: entry.leaf_count,
    merkleRoot: entry.merkle_root.toString('hex'),
    previousHash: entry.previous_hash.toString('hex'),
    entryHash: entry.entry_hash.toString('hex'),
  }
}

/**
 * Inclusion proofs for the events with this eventID (usually one; an error declaration or a
 * conflicting capture shares it), each against the entry that stored it, with the current head.
 * Built from the data as stored now, so a proof of an altered event does not verify.
 */
export async function eventProofs(db: Db, eventId: string, visible?: EventVisibility): Promise<EventProofs> {
  const events = await eventsWithLeaves(db, eventId, visible)
  const ledgered = events.filter((e) => e.entry_seq !== null && e.leaf_index !== null)
  if (ledgered.length === 0) {
    throw ERRORS.noSuchResource(
      events.length === 0 ? `No event with eventID ${eventId}` : `Event ${eventId} was stored before the ledger began`,
    )
  }
  const head = await ledgerHead(db)
  const proofs: InclusionProof[] = []
  for (const event of ledgered) {
    const entry = await findEntry(db, event.entry_seq!)
    if (!entry) throw new Error(`ledger entry ${event.entry_seq} of event key ${event.pk} is missing`)
    const leaves = await leafHashesOf(db, entry.seq)
    proofs.push({
      eventHash: event.event_hash ?? '',
      bodyDigest: bodyDigest(event.body),
      leafIndex: event.leaf_index!,
      auditPath: event.leaf_index! < leaves.length ? auditPath(leaves, event.leaf_index!).map((h) => h.toString('hex')) : [],
      entry: entryView(entry),
    })
  }
  return {
    eventID: eventId,
    algorithm: 'nguon-ledger-v1',
    head: { seq: head!.seq, entryHash: head!.entry_hash.toString('hex') },
    proofs,
  }
}
