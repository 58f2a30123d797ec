/**
 * The cost guard counts what a query costs when the rows it wants come last: under a LIMIT the planner
 * counts only the share of the walk it expects to read, as if matches were spread evenly.
 */
import { sql } from 'kysely'
import t from 'tap'
import { paramsFromQueryString } from '../../src/query/params.js'
import { estimatedCost, eventPageSql } from '../../src/query/repository.js'
import { parseEventQuery, queryEvents, type QuerySettings } from '../../src/query/service.js'
import { candidatesOf } from '../../src/query/sql/conditions.js'
import { epcisDocument, objectEvent } from '../factories.js'
import { build, captureAndWait } from '../helper.js'

const withoutQuantities = Array.from({ length: 2000 }, () => objectEvent())
// Quantities only in the most recent events, as when an organisation starts recording them.
const withQuantities = Array.from({ length: 1000 }, (_, i) =>
  objectEvent({ epcList: [], quantityList: [{ epcClass: `urn:epc:class:lgtin:8934567.012345.L${i}`, quantity: 1 + (i % 50), uom: 'KGM' }] }),
)

t.test('GT_quantity=0 over events whose quantities all come last is costed as the walk it makes', async (t) => {
  const app = await build(t)
  t.ok((await captureAndWait(app, epcisDocument(withoutQuantities))).success)
  t.ok((await captureAndWait(app, epcisDocument(withQuantities))).success)
  await sql`ANALYZE`.execute(app.db)

  // Reading every event in storage order: what the page below really does before its first match (every read
  // carries the filter of the error declarations its caller is shown).
  const shown = [{ kind: 'declarationsShownTo' as const, organisationId: null }]
  const fullWalk = await estimatedCost(app.db, eventPageSql({ filters: shown, order: { by: 'storage' }, after: undefined, limit: 1_000_000 }))
  const settings: QuerySettings = { defaultPerPage: 10, maxPerPage: 1000, maxCost: fullWalk / 2, candidateLimit: 0 }
  const ask = (query: string) =>
    queryEvents(app.db, app.pageTokenKey, { params: paramsFromQueryString(Object.fromEntries(new URLSearchParams(query))), scope: 'events', visibility: undefined }, settings)

  await t.rejects(ask('GT_quantity=0'), { code: 'EPCIS_ERR_QUERY_TOO_COMPLEX' }, 'refused: it would read the 2,000 events without a quantity first')
  t.equal((await ask('perPage=10')).rows.length, 10, 'a walk that keeps every row it reads still stops at its page: allowed')

  // The planner's row estimate of the filter itself: a redundant `quantity IS NOT NULL` beside the comparison
  // made it count the share of rows with a quantity twice (a third of the rows here: a ninth estimated).
  const { query } = await parseEventQuery(app.db, { params: { GT_quantity: ['0'] } }, settings)
  const candidates = candidatesOf(query.filters[0]!)!.compile(app.db)
  const plan = await app.db.executeQuery<{ 'QUERY PLAN': Array<{ Plan: { 'Plan Rows': number } }> }>({
    ...candidates,
    sql: `EXPLAIN (FORMAT JSON) ${candidates.sql}`,
  })
  const estimated = plan.rows[0]!['QUERY PLAN'][0]!.Plan['Plan Rows']
  t.ok(estimated >= withQuantities.length / 2 && estimated <= withQuantities.length * 2, `rows estimated: ${estimated} of ${withQuantities.length}`)

  settings.maxCost = fullWalk * 4
  const page = await ask('GT_quantity=0')
  t.equal(page.rows.length, 10, 'under a limit above the walk, it runs')
  t.ok(page.rows.every((row) => Array.isArray(row.body.quantityList)), 'and finds the events with quantities')
})
