/**
 * The publication state of events just captured, decided in the capture's transaction with one statement
 * for all of them (not a statement per event): events of an organisation under `review` are held; under
 * `auto`, the events failing a check are held, each failed check a reason. Only held events get a row
 * (src/publication/published.ts), so events that pass cost this statement and no write.
 * Events captured without an organisation (an operator key) and error declarations are published unchecked.
 */
import { sql, type Transaction } from 'kysely'
import type { Database } from '../db/database.js'
import { CANONICAL_DL_ORIGIN } from '../identifiers/index.js'
import { LinkKind } from '../db/tables/event-link.js'
import { LOCATION_TYPES } from './locations.js'

/**
 * How a GS1 key names its company prefix in the canonical Digital Link: after the AI and the characters
 * before the prefix (`_`: the GTIN's and SSCC's first digit, ITIP's indicator; `0`: GRAI's padding).
 */
const PREFIX_FORMS = ['/01/_', '/00/_', '/8006/_', '/8003/0', '/414/', '/417/', '/8004/', '/253/', '/255/', '/8018/', '/401/', '/402/', '/8010/'].map(
  (form) => `${CANONICAL_DL_ORIGIN}${form}`,
)

/** The capture's stored events: only their keys are needed (the checks read the stored rows). */
export interface StoredEventKey {
  pk: number
}

export async function assignPublicationStates(
  trx: Transaction<Database>,
  stored: readonly StoredEventKey[],
  capture: { organisationId: string | null | undefined },
): Promise<void> {
  const organisationId = capture.organisationId ?? null
  if (organisationId === null || stored.length === 0) return
  await assignStatement(organisationId, stored.map((s) => s.pk)).execute(trx)
}

/** The one statement that checks the events and inserts the held ones' rows. */
export function assignStatement(organisationId: string, pks: readonly number[]) {
  return sql`
    WITH setting AS (SELECT max_event_age, future_tolerance FROM publication_setting LIMIT 1),
    policy AS (SELECT publication_policy AS value FROM organisation WHERE id = ${organisationId}),
    -- Every required entry of every rule, once per statement, in a stable order.
    required AS MATERIALIZED (
      SELECT r.biz_step, r.event_type, q.req, string_to_array(q.req, '|') AS alternatives
      FROM publication_rule r CROSS JOIN LATERAL unnest(r.required) WITH ORDINALITY AS q(req, n)
      ORDER BY r.id, q.n),
    owned AS (
      SELECT coalesce(array_agg(f.form || m.digits || '%'), '{}') AS patterns
      FROM organisation_identifier m CROSS JOIN unnest(${PREFIX_FORMS}::text[]) AS f(form)
      WHERE m.organisation_id = ${organisationId}),
    -- Materialised: each check runs once per event, though reasons and details both read it.
    checked AS MATERIALIZED (
      SELECT e.id, e.organisation_id,
        coalesce((SELECT value FROM policy), 'auto') = 'review' AS review,
        e.event_time > now() + s.future_tolerance AS future,
        e.event_time < now() - s.max_event_age AS too_old,
        CASE WHEN e.biz_location IS NOT NULL AND NOT ${knownLocation(sql.ref('e.biz_location'))} THEN ARRAY[e.biz_location] END AS unknown_biz_location,
        CASE WHEN e.read_point IS NOT NULL AND NOT ${knownLocation(sql.ref('e.read_point'))} THEN ARRAY[e.read_point] END AS unknown_read_point,
        CASE WHEN (SELECT 1 FROM event_link sl WHERE sl.event_pk = e.id AND sl.kind = ${LinkKind.source} LIMIT 1) IS NOT NULL THEN NULL ELSE
          (SELECT array_agg(DISTINCT i.identifier ORDER BY i.identifier) FROM event_identifier i
           WHERE i.event_pk = e.id
             AND NOT (i.identifier LIKE ANY ((SELECT patterns FROM owned)::text[]))
             -- Received earlier by this organisation: an event of its own that named a source party. A scalar subquery,
             -- so that it runs per foreign identifier through the identifier index (never as a join over event_link).
             AND (SELECT 1 FROM event_identifier ri
                  WHERE ri.identifier = i.identifier AND ri.event_pk <> e.id
                    AND EXISTS (SELECT 1 FROM event re WHERE re.id = ri.event_pk AND re.organisation_id = ${organisationId})
                    AND EXISTS (SELECT 1 FROM event_link rl WHERE rl.event_pk = ri.event_pk AND rl.kind = ${LinkKind.source})
                  LIMIT 1) IS NULL)
        END AS foreign_identifiers,
        (SELECT array_agg(r.req)
         FROM required r
         WHERE (r.biz_step IS NULL OR r.biz_step = e.biz_step) AND (r.event_type IS NULL OR r.event_type = e.event_type)
           -- Present and not empty (a missing field gives NULL, which NOT IN does not count as present).
           AND NOT EXISTS (SELECT 1 FROM unnest(r.alternatives) AS k WHERE e.body -> k NOT IN ('null', '[]', '{}', '""'))
        ) AS missing_kde
      FROM event e CROSS JOIN setting s
      -- An error declaration is not checked: it takes effect only where src/security/declarations.ts lets it, and
      -- holding a correction would keep the wrong event public.
      WHERE e.id = ANY(${[...pks]}::bigint[]) AND e.error_declaration_time IS NULL),
    reasoned AS (
      SELECT c.id, c.organisation_id,
        array_remove(ARRAY[
          CASE WHEN c.review THEN 'review-policy' END,
          CASE WHEN c.foreign_identifiers IS NOT NULL THEN 'foreign-identifier' END,
          CASE WHEN c.unknown_biz_location IS NOT NULL THEN 'unknown-biz-location' END,
          CASE WHEN c.unknown_read_point IS NOT NULL THEN 'unknown-read-point' END,
          CASE WHEN c.future THEN 'future-event-time' END,
          CASE WHEN c.too_old THEN 'old-event-time' END,
          CASE WHEN c.missing_kde IS NOT NULL THEN 'missing-kde' END], NULL) AS reasons,
        jsonb_strip_nulls(jsonb_build_object(
          'foreign-identifier', to_jsonb(c.foreign_identifiers),
          'unknown-biz-location', to_jsonb(c.unknown_biz_location),
          'unknown-read-point', to_jsonb(c.unknown_read_point),
          'missing-kde', to_jsonb(c.missing_kde))) AS details
      FROM checked c)
    INSERT INTO event_publication (event_pk, organisation_id, state, reasons, details)
    SELECT r.id, r.organisation_id, 'held', r.reasons, r.details FROM reasoned r
    WHERE cardinality(r.reasons) > 0`
}

/** A location (or, for a sub-location /254/..., its GLN) known in master data as a business location or read point. */
function knownLocation(key: ReturnType<typeof sql.ref>) {
  return sql<boolean>`EXISTS (
    SELECT 1 FROM vocabulary_element_key k JOIN vocabulary_element v ON v.id = k.element_pk
    WHERE k.element_key IN (${key}, split_part(${key}, '/254/', 1)) AND v.vocabulary_type = ANY(${LOCATION_TYPES}::text[]))`
}
