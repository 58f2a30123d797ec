/**
 * Peers (POST/GET/PUT/DELETE /admin/peers): checks a definition, keeps its credentials encrypted, and
 * for a push peer keeps the named query and the delivery engine's subscription that carry its events
 * (named `peer:<id>`, destination kind 'peer': src/federation/push-sender.ts sends them).
 */
import { randomUUID } from 'node:crypto'
import type { Db } from '../db/database.js'
import type { PeerRow } from '../db/tables/peer.js'
import { ERRORS } from '../errors.js'
import { createNamedQuery } from '../query/named/service.js'
import { deleteNamedQuery } from '../query/named/repository.js'
import { paramsFromQueryObject, type PagingLimits } from '../query/params.js'
import { checkDestination, RefusedDestination, type DestinationPolicy } from '../subscriptions/destination-guard.js'
import { namedQueryOwnFilters } from '../subscriptions/event-source.js'
import { insertSubscription, readBatch } from '../subscriptions/repository.js'
import { startingCursor } from '../subscriptions/service.js'
import { latestDecision } from '../publication/repository.js'
import { credentialsKind, encryptCredentials, type Credentials } from './credentials.js'
import type { KeySource } from './key.js'
import { deletePeer, findPeer, insertPeer, listPeers, setPeerSubscription, updatePeer } from './repository.js'

export const PEER_DESTINATION = 'peer'
/** The named query that holds a push peer's query. */
export const peerQueryName = (id: string) => `peer:${id}`

/** What a push or a pull sets itself: a peer's query may not fix them. */
const RESERVED_PARAMETERS = ['EQ_publicationState', 'perPage', 'nextPageToken', 'orderBy', 'orderDirection', 'GE_recordTime', 'LT_recordTime', 'eventCountLimit', 'maxEventCount']

export interface PeerBody {
  id?: string
  name: string
  baseUrl: string
  direction: 'push' | 'pull'
  credentials?: Credentials
  query?: Record<string, unknown>
  initialRecordTime?: string
  pullIntervalSeconds?: number
  sendEverything?: boolean
}

export interface PeerDeps {
  db: Db
  keySource: KeySource
  policy: DestinationPolicy
  limits: PagingLimits
  /** Events per push delivery (the peer's own capture limit splits them further). */
  pushBatchSize: number
}

async function checkBaseUrl(baseUrl: string, policy: DestinationPolicy): Promise<string> {
  try {
    await checkDestination(baseUrl, policy)
  } catch (error) {
    if (error instanceof RefusedDestination) throw ERRORS.validation(`baseUrl ${error.message}`, [{ pointer: '/baseUrl', message: error.message }])
    throw error
  }
  return baseUrl.replace(/\/+$/, '')
}

/**
 * The named query a push peer's subscription runs: the peer's own query, and only published events unless the peer
 * is to receive everything (issue 18: held and rejected events stay in the province until a reviewer decides).
 */
function pushedQuery(query: Record<string, unknown>, sendEverything: boolean): Record<string, unknown> {
  return sendEverything ? query : { ...query, EQ_publicationState: 'published' }
}

function checkQuery(query: Record<string, unknown>): void {
  for (const name of RESERVED_PARAMETERS) {
    if (name in query) throw ERRORS.queryParameter(`query/${name}: a peer's push or pull sets it itself`)
  }
  paramsFromQueryObject(query)
}

async function sealed(deps: PeerDeps, id: string, credentials: Credentials) {
  const key = (await deps.keySource(true))!
  return { credentials_kind: credentialsKind(credentials), credentials: encryptCredentials(key, id, credentials), credentials_key_id: key.id }
}

/** The push peer's subscription, starting at `start` (a new peer) or at an old subscription's cursor (a changed query). */
async function createPushSubscription(deps: PeerDeps, peer: PeerRow, start: { xid: string; pk: number; from: Date; minRecordTime: Date }): Promise<string> {
  const id = randomUUID()
  await insertSubscription(deps.db, {
    id,
    query_name: peerQueryName(peer.id),
    organisation_id: null,
    sees_everything: true,
    dest: `${peer.base_url}/capture`,
    signature_token: null,
    stream: true,
    schedule: null,
    report_if_empty: false,
    epc_format: 'Never_Translates',
    cbv_xml_format: 'Never_Translates',
    initial_record_time: start.from.toISOString(),
    after_xid: start.xid,
    after_pk: start.pk,
    min_record_time: start.minRecordTime.toISOString(),
    last_notified_at: null,
    next_attempt_at: null,
    last_error: null,
    batch_size: deps.pushBatchSize,
    lease_owner: null,
    destination_kind: PEER_DESTINATION,
  })
  await setPeerSubscription(deps.db, peer.id, id)
  return id
}

export async function createPeer(deps: PeerDeps, body: PeerBody & { id: string; credentials: Credentials }): Promise<PeerRow> {
  const baseUrl = await checkBaseUrl(body.baseUrl, deps.policy)
  const query = body.query ?? {}
  checkQuery(query)
  if (await findPeer(deps.db, body.id)) throw ERRORS.alreadyExists(`A peer with id '${body.id}' already exists`)
  const initial = body.initialRecordTime === undefined ? undefined : new Date(body.initialRecordTime)
  const start = await startingCursor(deps.db, initial)
  if (body.direction === 'push') {
    // Checked as GET /events would run it; a leftover named query of a peer deleted halfway is replaced.
    await deleteNamedQuery(deps.db, peerQueryName(body.id))
    await createNamedQuery(deps.db, { name: peerQueryName(body.id), query: pushedQuery(query, body.sendEverything ?? false) }, {}, deps.limits)
  }
  const row = await insertPeer(deps.db, {
    id: body.id,
    name: body.name,
    base_url: baseUrl,
    direction: body.direction,
    ...(await sealed(deps, body.id, body.credentials)),
    query: JSON.stringify(query),
    initial_record_time: start.from.toISOString(),
    pull_interval_ms: (body.pullIntervalSeconds ?? 60) * 1000,
    send_everything: body.sendEverything ?? false,
    subscription_id: null,
    // Events published by a decision from now on are sent besides the subscription's (push-sender.ts beforeTurn).
    decision_cursor: await latestDecision(deps.db),
  })
  if (!row) throw ERRORS.alreadyExists(`A peer with id '${body.id}' already exists`)
  if (body.direction === 'push') {
    row.subscription_id = await createPushSubscription(deps, row, { xid: start.xid, pk: 0, from: start.from, minRecordTime: start.from })
  }
  return row
}

export async function getPeer(db: Db, id: string): Promise<PeerRow> {
  const row = await findPeer(db, id)
  if (!row) throw ERRORS.noSuchResource(`No peer '${id}'`)
  return row
}

export async function peerPage(db: Db, limit: number, after: string | undefined): Promise<PeerRow[]> {
  return listPeers(db, after, limit)
}

/** Replaces a peer's definition; the cursor and counters stay. Credentials left out are kept. */
export async function replacePeer(deps: PeerDeps, id: string, body: PeerBody): Promise<PeerRow> {
  const old = await getPeer(deps.db, id)
  if (body.id !== undefined && body.id !== id) throw ERRORS.validation(`id '${body.id}' is not the peer's id '${id}'`, [{ pointer: '/id', message: 'differs from the path' }])
  if (body.direction !== old.direction) {
    throw ERRORS.validation('direction cannot change: delete the peer and create it again', [{ pointer: '/direction', message: 'cannot change' }])
  }
  const baseUrl = await checkBaseUrl(body.baseUrl, deps.policy)
  const query = body.query ?? {}
  checkQuery(query)
  const queryChanged = JSON.stringify(query) !== JSON.stringify(old.query) || (body.sendEverything ?? false) !== old.send_everything
  const subscription = old.subscription_id
    ? await deps.db.selectFrom('subscription').selectAll().where('id', '=', old.subscription_id).executeTakeFirst()
    : undefined
  if (old.direction === 'push' && queryChanged) {
    // Deleting the named query ends the old subscription; the new one starts at its cursor. The engine keeps a
    // subscription's query for its lifetime, so a changed query needs a new subscription.
    await deleteNamedQuery(deps.db, peerQueryName(id))
    await createNamedQuery(deps.db, { name: peerQueryName(id), query: pushedQuery(query, body.sendEverything ?? false) }, {}, deps.limits)
  }
  const row = await updatePeer(deps.db, id, {
    name: body.name,
    base_url: baseUrl,
    ...(body.credentials ? await sealed(deps, id, body.credentials) : {}),
    query: JSON.stringify(query),
    pull_interval_ms: (body.pullIntervalSeconds ?? 60) * 1000,
    send_everything: body.sendEverything ?? false,
  })
  if (!row) throw ERRORS.noSuchResource(`No peer '${id}'`)
  if (old.direction === 'push') {
    if (queryChanged || !subscription) {
      const start = subscription
        ? { xid: subscription.after_xid, pk: Number(subscription.after_pk), from: subscription.initial_record_time, minRecordTime: subscription.min_record_time }
        : { ...(await startingCursor(deps.db, old.initial_record_time)), pk: 0, minRecordTime: old.initial_record_time }
      row.subscription_id = await createPushSubscription(deps, row, { ...start, from: start.from })
    } else if (baseUrl !== old.base_url) {
      await deps.db.updateTable('subscription').set({ dest: `${baseUrl}/capture` }).where('id', '=', subscription.id).execute()
    }
  }
  return row
}

export async function removePeer(db: Db, id: string): Promise<void> {
  const row = await db.transaction().execute(async (trx) => {
    const deleted = await deletePeer(trx, id)
    if (deleted?.direction === 'push') await trx.deleteFrom('named_query').where('name', '=', peerQueryName(id)).execute()
    return deleted
  })
  if (!row) throw ERRORS.noSuchResource(`No peer '${id}'`)
}

export type PeerState = {
  status: 'new' | 'ok' | 'failing'
  cursor: { recordTime: string | null; position?: string }
  eventsSent: number
  eventsReceived: number
  /** Milliseconds: push, since the record time of the oldest event not yet delivered; pull, since the last pull that reached the end began. */
  lagMs: number | null
  oldestPendingRecordTime?: string
  lastSuccessAt: string | null
  lastError: string | null
  failingSince: string | null
  nextPullAt?: string | null
  subscriptionID?: string | null
}

export async function peerState(db: Db, row: PeerRow): Promise<PeerState> {
  const status = row.failing_since ? 'failing' : row.last_success_at ? 'ok' : 'new'
  const common = {
    status,
    eventsSent: Number(row.events_sent),
    eventsReceived: Number(row.events_received),
    lastSuccessAt: row.last_success_at?.toISOString() ?? null,
    lastError: row.last_error,
    failingSince: row.failing_since?.toISOString() ?? null,
  } as const
  if (row.direction === 'pull') {
    const lag = row.last_success_at && row.last_pull_started_at ? Date.now() - Math.min(row.last_pull_started_at.getTime(), row.last_success_at.getTime()) : null
    return { ...common, cursor: { recordTime: row.pull_cursor?.toISOString() ?? null }, lagMs: lag, nextPullAt: row.next_pull_at?.toISOString() ?? null }
  }
  const subscription = row.subscription_id
    ? await db.selectFrom('subscription').selectAll().where('id', '=', row.subscription_id).executeTakeFirst()
    : undefined
  if (!subscription) {
    return { ...common, status: 'failing', cursor: { recordTime: null }, lagMs: null, lastError: row.last_error ?? 'the peer has no delivery subscription (its named query was deleted); PUT the peer again', subscriptionID: null }
  }
  let oldest: Date | undefined
  try {
    const pending = await readBatch(db, {
      filters: await namedQueryOwnFilters(db, subscription.query_name),
      after: { xid: subscription.after_xid, pk: Number(subscription.after_pk) },
      minRecordTime: subscription.initial_record_time,
      limit: 1,
    })
    oldest = pending[0]?.record_time
  } catch {
    oldest = undefined
  }
  return {
    ...common,
    cursor: { recordTime: subscription.min_record_time.toISOString(), position: `${subscription.after_xid}:${subscription.after_pk}` },
    lagMs: oldest ? Math.max(0, Date.now() - oldest.getTime()) : 0,
    ...(oldest ? { oldestPendingRecordTime: oldest.toISOString() } : {}),
    subscriptionID: subscription.id,
  }
}

export async function peerView(db: Db, row: PeerRow) {
  return {
    id: row.id,
    name: row.name,
    baseUrl: row.base_url,
    direction: row.direction,
    credentials: { kind: row.credentials_kind },
    query: row.query,
    initialRecordTime: row.initial_record_time.toISOString(),
    pullIntervalSeconds: Math.round(row.pull_interval_ms / 1000),
    sendEverything: row.send_everything,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    state: await peerState(db, row),
  }
}
