/**
 * Every parameter's SQL can be answered from an index: for each parameter, the plan of
 * `SELECT id FROM event WHERE <its condition>` (sequential scans disabled, as the planner would
 * avoid them on a large table anyway) must not scan any table sequentially and must read the
 * parameter's own table through an index, with an index condition or a partial index.
 */
import { sql } from 'kysely'
import t from 'tap'
import { parseEventQuery } from '../../src/query/service.js'
import { and, filterCondition } from '../../src/query/sql/conditions.js'
import { paramsFromQueryString } from '../../src/query/params.js'
import { build, captureAndWait, jsonFixture } from '../helper.js'
import { epcisDocument } from '../factories.js'

const EX = 'https://ns.example.com/epcis/'
const loc = 'urn:epc:id:sgln:8934567.00001.0'
const epc = 'urn:epc:id:sgtin:8934567.012345.1'
const T = '2024-05-01T00:00:00Z'

/** [query string parameters, the table whose index the parameter must use]. */
const CASES: Array<[Record<string, string>, string]> = [
  [{ eventType: 'ObjectEvent' }, 'event'],
  [{ GE_eventTime: T }, 'event'],
  [{ LT_eventTime: T }, 'event'],
  [{ GE_recordTime: T }, 'event'],
  [{ LT_recordTime: T }, 'event'],
  [{ EQ_action: 'ADD' }, 'event'],
  [{ EQ_bizStep: 'shipping' }, 'event'],
  [{ EQ_disposition: 'in_transit' }, 'event'],
  [{ EQ_readPoint: loc }, 'event'],
  [{ EQ_bizLocation: loc }, 'event'],
  [{ WD_readPoint: loc }, 'event'],
  [{ WD_bizLocation: loc }, 'event'],
  [{ EQ_transformationID: 'urn:uuid:x' }, 'event'],
  [{ EQ_eventID: 'urn:uuid:x' }, 'event'],
  [{ EXISTS_errorDeclaration: '' }, 'event'],
  [{ GE_errorDeclarationTime: T }, 'event'],
  [{ LT_errorDeclaration_Time: T }, 'event'],
  [{ EQ_errorReason: 'did_not_occur' }, 'event'],
  [{ EQ_correctiveEventID: 'urn:uuid:x' }, 'event'],
  [{ EQ_persistentDisposition_set: 'completeness_verified' }, 'event_persistent_disposition'],
  [{ EQ_persistentDisposition_unset: 'completeness_inferred' }, 'event_persistent_disposition'],
  [{ MATCH_epc: epc }, 'event_identifier'],
  [{ MATCH_epc: 'urn:epc:idpat:sgtin:8934567.012345.*' }, 'event_identifier'],
  [{ MATCH_epc: 'urn:epc:idpat:sgtin:8934567.*.*' }, 'event_identifier'],
  [{ MATCH_parentID: 'urn:epc:idpat:sscc:8934567.*' }, 'event_identifier'],
  [{ MATCH_inputEPC: epc }, 'event_identifier'],
  [{ MATCH_outputEPC: epc }, 'event_identifier'],
  [{ MATCH_anyEPC: epc }, 'event_identifier'],
  [{ MATCH_epcClass: 'urn:epc:class:lgtin:8934567.012345.L1' }, 'event_identifier'],
  [{ MATCH_inputEPCClass: 'urn:epc:idpat:sgtin:8934567.012345.*' }, 'event_identifier'],
  [{ MATCH_outputEPCClass: 'urn:epc:class:lgtin:8934567.012345.L1' }, 'event_identifier'],
  [{ MATCH_anyEPCClass: 'urn:epc:class:lgtin:8934567.012345.L1' }, 'event_identifier'],
  [{ EQ_quantity: '5' }, 'event_identifier'],
  [{ GT_quantity: '5' }, 'event_identifier'],
  [{ LE_quantity: '5' }, 'event_identifier'],
  [{ EQ_quantity_KGM: '5' }, 'event_identifier'],
  [{ GE_quantity_KGM: '5' }, 'event_identifier'],
  [{ EQ_bizTransaction_po: 'urn:x:po:1' }, 'event_link'],
  [{ EQ_source_owning_party: 'urn:epc:id:pgln:8934567.00000' }, 'event_link'],
  [{ EQ_destination_location: loc }, 'event_link'],
  [{ 'EQ_ex:f': 'x' }, 'event_field'],
  [{ 'EQ_ex:f': '5' }, 'event_field'],
  [{ 'GT_ex:f': '5' }, 'event_field'],
  [{ 'LE_ex:f': T }, 'event_field'],
  [{ 'EXISTS_ex:f': '' }, 'event_field'],
  [{ 'EQ_INNER_ex:f': 'x' }, 'event_field'],
  [{ 'EQ_ILMD_ex:f': 'x' }, 'event_field'],
  [{ 'GE_INNER_ILMD_ex:f': '1' }, 'event_field'],
  [{ 'EQ_ERROR_DECLARATION_ex:f': 'x' }, 'event_field'],
  [{ 'EXISTS_INNER_ERROR_DECLARATION_ex:f': '' }, 'event_field'],
  [{ 'EQ_readPoint_ex:f': 'x' }, 'event_field'],
  [{ 'EQ_INNER_bizLocation_ex:f': 'x' }, 'event_field'],
  [{ HASATTR_bizLocation: 'urn:epcglobal:cbv:mda#sst' }, 'vocabulary_element'],
  [{ 'EQ_ATTR_bizLocation_cbvmda:sst': '201' }, 'vocabulary_element'],
  [{ 'HASATTR_ex:f': 'ex:a' }, 'vocabulary_element'],
  // Every event with a sensor report: nothing to select by, the whole (event_pk) index is the answer.
  [{ EXISTS_sensorElementList: '' }, 'sensor_report'],
  [{ GE_time: T }, 'sensor_report'],
  [{ LT_time: T }, 'sensor_report'],
  [{ GE_startTime: T }, 'sensor_report'],
  [{ LT_startTime: T }, 'sensor_report'],
  [{ GE_endTime: T }, 'sensor_report'],
  [{ LT_endTime: T }, 'sensor_report'],
  [{ EQ_type: 'Temperature' }, 'sensor_report'],
  [{ EQ_deviceID: 'urn:epc:id:giai:4000001.111' }, 'sensor_report'],
  [{ EQ_dataProcessingMethod: 'https://example.com/m' }, 'sensor_report'],
  [{ EQ_microorganism: 'https://example.com/m' }, 'sensor_report'],
  [{ EQ_chemicalSubstance: 'https://example.com/c' }, 'sensor_report'],
  [{ EQ_bizRules: 'https://example.com/r' }, 'sensor_report'],
  [{ EQ_stringValue: 'PASS' }, 'sensor_report'],
  [{ EQ_booleanValue: 'true' }, 'sensor_report'],
  [{ EQ_hexBinaryValue: 'F0' }, 'sensor_report'],
  [{ EQ_uriValue: 'https://example.com/u' }, 'sensor_report'],
  [{ EQ_value_CEL: '5' }, 'sensor_report'],
  [{ GT_value_CEL: '5' }, 'sensor_report'],
  [{ LT_minValue_KEL: '5' }, 'sensor_report'],
  [{ GE_maxValue_FAH: '5' }, 'sensor_report'],
  [{ LE_meanValue_CEL: '5' }, 'sensor_report'],
  [{ GT_sDev_CEL: '5' }, 'sensor_report'],
  [{ GE_percValue_CEL: '5' }, 'sensor_report'],
  [{ GT_percRank: '5' }, 'sensor_report'],
  [{ 'EQ_SENSORELEMENT_ex:f': 'x' }, 'event_field'],
  [{ 'GT_SENSORMETADATA_ex:f': '1' }, 'event_field'],
  [{ 'EXISTS_SENSORREPORT_ex:f': '' }, 'event_field'],
  [{ 'EQ_INNER_SENSORREPORT_ex:f': 'x' }, 'event_field'],
  [{ EQ_publicationState: 'held' }, 'event_publication'],
  [{ EQ_publicationState: 'held|rejected' }, 'event_publication'],
  [{ EQ_publicationState: 'published' }, 'event_publication'],
  [{ EQ_sourceRepository: 'https://e.example.vn/epcis' }, 'event_provenance'],
  [{ EQ_originOrganisation: 'urn:epc:id:pgln:8934567.00001' }, 'event_provenance'],
  [{ EQ_originOrganisation: 'farm' }, 'event_provenance'],
]

interface PlanNode {
  'Node Type': string
  'Relation Name'?: string
  'Index Name'?: string
  'Index Cond'?: string
  Plans?: PlanNode[]
}

function nodesOf(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(nodesOf)]
}

t.test("every parameter's SQL reads its table through an index", async (t) => {
  const app = await build(t)
  for (const fixture of [
    'gs1/epcis-examples/json/WithFullCombinationOfFields/object_event_all_possible_fields.jsonld',
    'gs1/epcis-examples/json/WithSensorData/SensorDataExample1.jsonld',
  ]) {
    await captureAndWait(app, jsonFixture(fixture))
  }
  await captureAndWait(app, epcisDocument([], [{ ex: EX }]))
  // Master data as an operator would have it: thousands of locations, so that the planner weighs indexes as it would.
  await sql`
    WITH elements AS (
      INSERT INTO vocabulary_element (vocabulary_type, element_id, attributes)
      SELECT 'urn:epcglobal:epcis:vtype:BusinessLocation', 'urn:example:loc:' || n,
        jsonb_build_array(jsonb_build_object('id', 'urn:epcglobal:cbv:mda#name', 'attribute', 'Kho ' || n))
      FROM generate_series(1, 5000) AS n
      RETURNING id, element_id)
    INSERT INTO vocabulary_element_key (element_pk, element_key) SELECT id, element_id FROM elements`.execute(app.db)
  // And many identifiers (on the events already there), as on a repository in use.
  await sql`
    INSERT INTO event_identifier (event_pk, role, identifier)
    SELECT (SELECT min(id) FROM event), 1 + n % 5, 'https://id.gs1.org/01/0' || lpad((n % 997)::text, 13, '0') || '/21/' || n
    FROM generate_series(1, 20000) AS n`.execute(app.db)
  // And events held, rejected and approved (publication control), as under a review policy.
  await sql`
    INSERT INTO event_publication (event_pk, organisation_id, state, reasons)
    SELECT 1000000 + n, 'org', (ARRAY['held', 'rejected', 'published'])[1 + n % 3], ARRAY['review-policy']
    FROM generate_series(1, 5000) AS n`.execute(app.db)
  await sql`ANALYZE`.execute(app.db)
  const indexes = await sql<{ indexname: string; tablename: string; indexdef: string }>`
    SELECT indexname, tablename, indexdef FROM pg_indexes WHERE schemaname = 'public'`.execute(app.db)
  const tableOf = new Map(indexes.rows.map((r) => [r.indexname, r.tablename]))
  const partial = new Set(indexes.rows.filter((r) => / WHERE /.test(r.indexdef)).map((r) => r.indexname))

  for (const [params, table] of CASES) {
    const { query } = await parseEventQuery(
      app.db,
      { params: paramsFromQueryString(params), declared: { ex: EX } },
      { defaultPerPage: 100, maxPerPage: 1000 },
    )
    const statement = sql`SELECT event.id FROM event WHERE ${and(query.filters.map((f) => filterCondition(f)))}`.compile(app.db)
    const plan = await app.db.connection().execute(async (connection) => {
      await sql`SET enable_seqscan = off`.execute(connection)
      try {
        const explained = await connection.executeQuery<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>({
          ...statement,
          sql: `EXPLAIN (FORMAT JSON) ${statement.sql}`,
        })
        return explained.rows[0]!['QUERY PLAN'][0]!.Plan
      } finally {
        await sql`RESET enable_seqscan`.execute(connection)
      }
    })
    const nodes = nodesOf(plan)
    const name = Object.keys(params).join('&')
    const sequential = nodes.filter((n) => n['Node Type'] === 'Seq Scan').map((n) => n['Relation Name'])
    const indexed = nodes.filter(
      (n) =>
        n['Index Name'] !== undefined &&
        tableOf.get(n['Index Name']) === table &&
        (n['Index Cond'] !== undefined || partial.has(n['Index Name']) || n['Index Name'] === 'sensor_report_event_idx'),
    )
    t.same(sequential, [], `${name}: no sequential scan`)
    if (indexed.length === 0) t.comment(JSON.stringify(plan, null, 1))
    t.ok(indexed.length > 0, `${name}: reads ${table} through ${indexed.map((n) => n['Index Name']).join(', ') || 'no index'}`)
  }
})
