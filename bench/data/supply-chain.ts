import type pg from 'pg'
import { gs1CheckDigit } from '../../src/identifiers/index.js'

/**
 * A generated pork supply chain written straight into the repository's tables with set-based SQL (no
 * round trip per row), the way capture would have stored it: canonical keys, CBV Web URIs, event_identifier
 * roles, event_link sources and destinations, lot_member rows.
 *
 * Each batch: a farm lot (quantity) is commissioned and shipped to a slaughterhouse, transformed into a
 * carcass lot, shipped to a processor, transformed into a pork lot; packs are commissioned with the lot in
 * ILMD (100 per event), packed 10 to a case (SSCC), 10 cases to a pallet (SSCC), pallets are shipped to a
 * distributor, received, split, every case is shipped to one of 200 stores, received and unpacked, and
 * every pack is sold.
 */

export interface SupplyChainSettings {
  /** Batches of `packsPerBatch` packs. */
  batches: number
  packsPerBatch: number
  /** One more batch, with this many packs: the downstream question fans out to all of them. */
  bigBatchPacks: number
}

export interface GeneratedChain {
  events: number
  identifiers: number
  links: number
  lotMembers: number
  /** Farm lot of the big batch (canonical key). */
  bigFarmLot: string
  /** A pack of an ordinary batch (canonical key) and the farm lot it comes from. */
  samplePack: string
  sampleFarmLot: string
  /** Lowest and highest event primary key written. */
  firstPk: number
  lastPk: number
}

const FARMS = 50
const SLAUGHTERHOUSES = 5
const PROCESSORS = 5
const DISTRIBUTORS = 10
const STORES = 200
const PORK_PRODUCTS = 20

const withCheck = (digits: string) => `${digits}${gs1CheckDigit(digits)}`
const pad = (n: number, width: number) => String(n).padStart(width, '0')
/** GLNs of a company (7-digit prefix) and its location references. */
const glns = (prefix: string, count: number) =>
  Array.from({ length: count }, (_, i) => withCheck(`${prefix}${pad(i + 1, 5)}`))
const gtin = (prefix: string, item: number) => withCheck(`0${prefix}${pad(item, 5)}`)

const SITES = {
  farm: glns('8939101', FARMS),
  slaughterhouse: glns('8939102', SLAUGHTERHOUSES),
  processor: glns('8939103', PROCESSORS),
  distributor: glns('8939104', DISTRIBUTORS),
  store: glns('8939105', STORES),
}
const PIG_GTINS = Array.from({ length: FARMS }, (_, i) => gtin('8939001', i + 1))
const CARCASS_GTIN = gtin('8939002', 1)
const PORK_GTINS = Array.from({ length: PORK_PRODUCTS }, (_, i) => gtin('8939000', i + 1))
/** GS1 Company Prefix of the SSCCs of cases and pallets. */
const LOGISTICS_PREFIX = '8939003'

/** Events of one batch of n packs (n a multiple of 100), as SQL over a column n. */
const EVENTS_OF_BATCH = '5 + n / 100 + 4 * (n / 10) + 4 * (n / 100) + n'

/** Kinds of generated events; the order is the order of their keys within a batch. */
const KIND = {
  farmCommission: 1,
  farmShip: 2,
  slaughter: 3,
  carcassShip: 4,
  process: 5,
  packCommission: 6,
  casePack: 7,
  palletPack: 8,
  palletShip: 9,
  palletReceive: 10,
  palletSplit: 11,
  caseShip: 12,
  caseReceive: 13,
  caseUnpack: 14,
  retail: 15,
} as const

export function packKey(gtin14: string, batch: number, pack: number): string {
  return `https://id.gs1.org/01/${gtin14}/21/${batch * 100000 + pack}`
}

export function farmLotKey(batch: number): string {
  return `https://id.gs1.org/01/${PIG_GTINS[batch % FARMS]}/10/F${batch}`
}

export function porkGtinOf(batch: number): string {
  return PORK_GTINS[batch % PORK_PRODUCTS]!
}

/**
 * Writes the chain into the database behind `client` (one session: it uses temporary tables and a
 * temporary function) and says what it wrote.
 */
export async function generateSupplyChain(
  client: pg.ClientBase,
  settings: SupplyChainSettings,
  log: (line: string) => void,
): Promise<GeneratedChain> {
  const { batches, packsPerBatch, bigBatchPacks } = settings
  if (packsPerBatch % 100 !== 0 || bigBatchPacks % 100 !== 0) throw new Error('packs per batch must be a multiple of 100')
  const q = (text: string, values: unknown[] = []) => client.query(text, values)
  await q('SET synchronous_commit = off')
  await q(`CREATE OR REPLACE FUNCTION pg_temp.gs1_check(digits text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT ((10 - sum(substr(digits, length(digits) - i + 1, 1)::int * CASE WHEN i % 2 = 1 THEN 3 ELSE 1 END) % 10)
      % 10)::text
    FROM generate_series(1, length(digits)) AS i $$`)

  // Batches: sizes, parties and the first event key of each.
  const perBatch = (n: number) => 5 + n / 100 + 4 * (n / 10) + 4 * (n / 100) + n
  const total = batches * perBatch(packsPerBatch) + perBatch(bigBatchPacks)
  const { rows } = await q(`SELECT nextval('event_id_seq')::bigint AS first`)
  const firstPk = Number(rows[0].first)
  await q(`SELECT setval('event_id_seq', $1::bigint)`, [firstPk + total])
  await q(`DROP TABLE IF EXISTS gen_batch, gen_event, gen_sscc`)
  await q(
    `CREATE TEMP TABLE gen_batch AS
     SELECT b, n, n / 100 AS k, n / 10 AS c, n / 100 AS qn,
       $1::bigint + sum(${EVENTS_OF_BATCH}) OVER (ORDER BY b) - (${EVENTS_OF_BATCH}) AS pk0,
       timestamptz '2024-01-01 00:00:00+07' + b * interval '30 minutes' AS t0,
       'https://id.gs1.org/01/' || ($5::text[])[b % ${FARMS} + 1] || '/10/F' || b AS farm_lot,
       'https://id.gs1.org/01/' || $6::text || '/10/C' || b AS carcass_lot,
       ($7::text[])[b % ${PORK_PRODUCTS} + 1] AS pork_gtin,
       'https://id.gs1.org/01/' || ($7::text[])[b % ${PORK_PRODUCTS} + 1] || '/10/P' || b AS pork_lot,
       b % ${FARMS} + 1 AS farm, b % ${SLAUGHTERHOUSES} + 1 AS slaughterhouse, b % ${PROCESSORS} + 1 AS processor,
       b % ${DISTRIBUTORS} + 1 AS distributor
     FROM (SELECT b, CASE WHEN b = $2::int THEN $4::int ELSE $3::int END AS n FROM generate_series(0, $2::int) AS b) AS s`,
    [firstPk, batches, packsPerBatch, bigBatchPacks, PIG_GTINS, CARCASS_GTIN, PORK_GTINS],
  )

  // Events: (pk, batch, kind, index within its kind).
  const series = (kind: number, offset: string, count: string) =>
    `SELECT g.pk0 + ${offset} + i AS pk, g.b, ${kind} AS kind, i AS idx
     FROM gen_batch g, generate_series(0, ${count} - 1) AS i`
  await q(`CREATE TEMP TABLE gen_event AS
    ${series(KIND.farmCommission, '0', '1')} UNION ALL ${series(KIND.farmShip, '1', '1')} UNION ALL
    ${series(KIND.slaughter, '2', '1')} UNION ALL ${series(KIND.carcassShip, '3', '1')} UNION ALL
    ${series(KIND.process, '4', '1')} UNION ALL
    ${series(KIND.packCommission, '5', 'g.k')} UNION ALL
    ${series(KIND.casePack, '5 + g.k', 'g.c')} UNION ALL
    ${series(KIND.palletPack, '5 + g.k + g.c', 'g.qn')} UNION ALL
    ${series(KIND.palletShip, '5 + g.k + g.c + g.qn', 'g.qn')} UNION ALL
    ${series(KIND.palletReceive, '5 + g.k + g.c + 2 * g.qn', 'g.qn')} UNION ALL
    ${series(KIND.palletSplit, '5 + g.k + g.c + 3 * g.qn', 'g.qn')} UNION ALL
    ${series(KIND.caseShip, '5 + g.k + g.c + 4 * g.qn', 'g.c')} UNION ALL
    ${series(KIND.caseReceive, '5 + g.k + 2 * g.c + 4 * g.qn', 'g.c')} UNION ALL
    ${series(KIND.caseUnpack, '5 + g.k + 3 * g.c + 4 * g.qn', 'g.c')} UNION ALL
    ${series(KIND.retail, '5 + g.k + 4 * g.c + 4 * g.qn', 'g.n')}`)

  // SSCCs of cases (extension digit 1) and pallets (2): serial reference = batch * 1000 + index.
  await q(`CREATE TEMP TABLE gen_sscc AS
    SELECT b, level, i, 'https://id.gs1.org/00/' || d || pg_temp.gs1_check(d) AS key
    FROM (
      SELECT g.b, l.level, i, l.level::text || '${LOGISTICS_PREFIX}' || lpad((g.b * 1000 + i)::text, 9, '0') AS d
      FROM gen_batch g
      CROSS JOIN LATERAL (VALUES (1, g.c), (2, g.qn)) AS l(level, count)
      CROSS JOIN LATERAL generate_series(0, l.count - 1) AS i
    ) AS s`)
  await q('CREATE INDEX ON gen_sscc (b, level, i)')
  await q('ANALYZE gen_batch; ANALYZE gen_event; ANALYZE gen_sscc')
  log(`lineage: generating ${total.toLocaleString('en-US')} events in SQL`)

  const site = (kind: keyof typeof SITES) => `'https://id.gs1.org/414/' || ($${siteParam[kind]}::text[])`
  const siteParam = { farm: 1, slaughterhouse: 2, processor: 3, distributor: 4, store: 5 } as const
  const siteValues = [SITES.farm, SITES.slaughterhouse, SITES.processor, SITES.distributor, SITES.store]
  const storeOf = `((e.b * 7 + e.idx) % ${STORES} + 1)`
  // Where each kind of event happens (bizLocation and readPoint) and its step, disposition, type and action.
  const location = `CASE
      WHEN e.kind IN (1, 2) THEN ${site('farm')}[g.farm]
      WHEN e.kind IN (3, 4) THEN ${site('slaughterhouse')}[g.slaughterhouse]
      WHEN e.kind BETWEEN 5 AND 9 THEN ${site('processor')}[g.processor]
      WHEN e.kind BETWEEN 10 AND 12 THEN ${site('distributor')}[g.distributor]
      ELSE ${site('store')}[CASE WHEN e.kind = 15 THEN ((e.b * 7 + e.idx / 10) % ${STORES} + 1) ELSE ${storeOf} END] END`
  const CBV = 'https://ref.gs1.org/cbv/'
  const step = `CASE e.kind WHEN 1 THEN 'commissioning' WHEN 2 THEN 'shipping' WHEN 3 THEN 'killing' WHEN 4 THEN 'shipping'
      WHEN 5 THEN 'commissioning' WHEN 6 THEN 'commissioning' WHEN 7 THEN 'packing' WHEN 8 THEN 'packing'
      WHEN 9 THEN 'shipping' WHEN 10 THEN 'receiving' WHEN 11 THEN 'unpacking' WHEN 12 THEN 'shipping'
      WHEN 13 THEN 'receiving' WHEN 14 THEN 'unpacking' ELSE 'retail_selling' END`
  const disposition = `CASE WHEN e.kind IN (2, 4, 9, 12) THEN 'in_transit' WHEN e.kind = 15 THEN 'retail_sold'
      WHEN e.kind IN (1, 6) THEN 'active' ELSE 'in_progress' END`
  const type = `CASE WHEN e.kind IN (3, 5) THEN 'TransformationEvent' WHEN e.kind IN (7, 8, 11, 14) THEN 'AggregationEvent'
      ELSE 'ObjectEvent' END`
  const action = `CASE WHEN e.kind IN (3, 5) THEN NULL WHEN e.kind IN (1, 6, 7, 8) THEN 'ADD'
      WHEN e.kind IN (11, 14) THEN 'DELETE' ELSE 'OBSERVE' END`
  const time = `g.t0 + CASE e.kind
      WHEN 1 THEN interval '0' WHEN 2 THEN interval '1 hour' WHEN 3 THEN interval '1 day' WHEN 4 THEN interval '25 hours'
      WHEN 5 THEN interval '2 days' WHEN 6 THEN interval '49 hours' WHEN 7 THEN interval '50 hours'
      WHEN 8 THEN interval '51 hours' WHEN 9 THEN interval '52 hours' WHEN 10 THEN interval '3 days'
      WHEN 11 THEN interval '73 hours' WHEN 12 THEN interval '74 hours' WHEN 13 THEN interval '78 hours'
      WHEN 14 THEN interval '79 hours' ELSE interval '4 days' END + e.idx * interval '1 second'`
  await q(
    `INSERT INTO event (id, event_id, event_type, event_time, event_time_zone_offset, action, biz_step, disposition,
       read_point, biz_location, body)
     SELECT pk, event_id, type, time, '+07:00', action, '${CBV}BizStep-' || step, '${CBV}Disp-' || disposition,
       location, location,
       jsonb_build_object('type', type, 'eventID', event_id,
         'eventTime', to_char(time AT TIME ZONE '+07', 'YYYY-MM-DD"T"HH24:MI:SS.MS"+07:00"'),
         'eventTimeZoneOffset', '+07:00', 'bizStep', step, 'disposition', disposition,
         'readPoint', jsonb_build_object('id', location), 'bizLocation', jsonb_build_object('id', location))
       || CASE WHEN action IS NULL THEN '{}'::jsonb ELSE jsonb_build_object('action', action) END
     FROM (
       SELECT e.pk, 'urn:uuid:' || md5('nguon-bench-lineage-' || e.pk)::uuid AS event_id, ${type} AS type,
         ${action} AS action,
         ${step} AS step, ${disposition} AS disposition, ${location} AS location, ${time} AS time
       FROM gen_event e JOIN gen_batch g USING (b)
     ) AS x`,
    siteValues,
  )
  log('lineage: events written; identifiers next')

  // Identifiers by role (1 epcList, 2 parentID, 3 childEPCs, 4/14 inputs, 5/15 outputs, 11 quantityList).
  const identifierStatements = [
    // farm lot commissioned and shipped; carcass lot shipped (quantityList)
    `SELECT e.pk, 11, g.farm_lot, 100, 'KGM' FROM gen_event e JOIN gen_batch g USING (b) WHERE e.kind IN (1, 2)`,
    `SELECT e.pk, 11, g.carcass_lot, 80, 'KGM' FROM gen_event e JOIN gen_batch g USING (b) WHERE e.kind = 4`,
    // transformations
    `SELECT e.pk, 14, g.farm_lot, 100, 'KGM' FROM gen_event e JOIN gen_batch g USING (b) WHERE e.kind = 3`,
    `SELECT e.pk, 15, g.carcass_lot, 80, 'KGM' FROM gen_event e JOIN gen_batch g USING (b) WHERE e.kind = 3`,
    `SELECT e.pk, 14, g.carcass_lot, 80, 'KGM' FROM gen_event e JOIN gen_batch g USING (b) WHERE e.kind = 5`,
    `SELECT e.pk, 15, g.pork_lot, 60, 'KGM' FROM gen_event e JOIN gen_batch g USING (b) WHERE e.kind = 5`,
    // 100 packs per commissioning event
    `SELECT e.pk, 1, 'https://id.gs1.org/01/' || g.pork_gtin || '/21/' || (e.b * 100000 + e.idx * 100 + j), NULL, NULL
     FROM gen_event e JOIN gen_batch g USING (b), generate_series(0, 99) AS j WHERE e.kind = 6`,
    // cases: parent and 10 packs
    `SELECT e.pk, 2, s.key, NULL, NULL FROM gen_event e JOIN gen_sscc s ON s.b = e.b AND s.level = 1 AND s.i = e.idx
     WHERE e.kind IN (7, 14)`,
    `SELECT e.pk, 3, 'https://id.gs1.org/01/' || g.pork_gtin || '/21/' || (e.b * 100000 + e.idx * 10 + j), NULL, NULL
     FROM gen_event e JOIN gen_batch g USING (b), generate_series(0, 9) AS j WHERE e.kind = 7`,
    // pallets: parent and 10 cases; pallet shipped, received, split
    `SELECT e.pk, 2, s.key, NULL, NULL FROM gen_event e JOIN gen_sscc s ON s.b = e.b AND s.level = 2 AND s.i = e.idx
     WHERE e.kind IN (8, 11)`,
    `SELECT e.pk, 3, s.key, NULL, NULL FROM gen_event e JOIN gen_sscc s ON s.b = e.b AND s.level = 1 AND s.i / 10 = e.idx
     WHERE e.kind = 8`,
    `SELECT e.pk, 1, s.key, NULL, NULL FROM gen_event e JOIN gen_sscc s ON s.b = e.b AND s.level = 2 AND s.i = e.idx
     WHERE e.kind IN (9, 10)`,
    // cases shipped and received
    `SELECT e.pk, 1, s.key, NULL, NULL FROM gen_event e JOIN gen_sscc s ON s.b = e.b AND s.level = 1 AND s.i = e.idx
     WHERE e.kind IN (12, 13)`,
    // packs sold
    `SELECT e.pk, 1, 'https://id.gs1.org/01/' || g.pork_gtin || '/21/' || (e.b * 100000 + e.idx), NULL, NULL
     FROM gen_event e JOIN gen_batch g USING (b) WHERE e.kind = 15`,
  ]
  let identifiers = 0
  for (const statement of identifierStatements) {
    const result = await q(`INSERT INTO event_identifier (event_pk, role, identifier, quantity, uom) ${statement}`)
    identifiers += result.rowCount ?? 0
  }

  // Sources and destinations of shipments and receipts: owning party and location, from and to.
  const party = (gln: string) => `replace(${gln}, '/414/', '/417/')`
  const endpoints = `CASE e.kind
      WHEN 2 THEN ARRAY[${site('farm')}[g.farm], ${site('slaughterhouse')}[g.slaughterhouse]]
      WHEN 4 THEN ARRAY[${site('slaughterhouse')}[g.slaughterhouse], ${site('processor')}[g.processor]]
      WHEN 9 THEN ARRAY[${site('processor')}[g.processor], ${site('distributor')}[g.distributor]]
      WHEN 10 THEN ARRAY[${site('processor')}[g.processor], ${site('distributor')}[g.distributor]]
      ELSE ARRAY[${site('distributor')}[g.distributor], ${site('store')}[${storeOf}]] END`
  const linkResult = await q(
    `INSERT INTO event_link (event_pk, kind, type, value)
     SELECT pk, l.kind, '${CBV}SDT-' || l.type, CASE WHEN l.type = 'owning_party' THEN ${party('l.gln')} ELSE l.gln END
     FROM (
       SELECT e.pk, ${endpoints} AS ends FROM gen_event e JOIN gen_batch g USING (b) WHERE e.kind IN (2, 4, 9, 10, 12, 13)
     ) AS x
     CROSS JOIN LATERAL (VALUES (2, 'owning_party', x.ends[1]), (2, 'location', x.ends[1]),
       (3, 'owning_party', x.ends[2]), (3, 'location', x.ends[2])) AS l(kind, type, gln)`,
    siteValues,
  )
  const lotResult = await q(
    `INSERT INTO lot_member (event_pk, instance, lot)
     SELECT e.pk, 'https://id.gs1.org/01/' || g.pork_gtin || '/21/' || (e.b * 100000 + e.idx * 100 + j), g.pork_lot
     FROM gen_event e JOIN gen_batch g USING (b), generate_series(0, 99) AS j WHERE e.kind = 6`,
  )
  log('lineage: vacuuming and analysing the tables')
  // As autovacuum would after such a load: statistics for the planner, visibility maps for index-only scans.
  for (const table of ['event', 'event_identifier', 'event_link', 'lot_member']) await q(`VACUUM (ANALYZE) ${table}`)
  await q('DROP TABLE gen_batch, gen_event, gen_sscc')

  const sampleBatch = Math.floor(batches / 2)
  return {
    events: total,
    identifiers,
    links: linkResult.rowCount ?? 0,
    lotMembers: lotResult.rowCount ?? 0,
    bigFarmLot: farmLotKey(batches),
    samplePack: packKey(porkGtinOf(sampleBatch), sampleBatch, 123),
    sampleFarmLot: farmLotKey(sampleBatch),
    firstPk,
    lastPk: firstPk + total - 1,
  }
}
