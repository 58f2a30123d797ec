-- Capture throughput (issue 15). The request that accepts a document checks and indexes each event once and
-- writes it here, as the rows it will become, with COPY; the job then moves a job's staged rows into the event
-- tables with one set-based statement, without reading them back into the service. Keys are reserved when the
-- job is accepted, in document order.
CREATE TABLE capture_staged_event (
  capture_job_id          bigint NOT NULL REFERENCES capture_job (id) ON DELETE CASCADE,
  id                      bigint NOT NULL,
  -- Place in the document's event list, for messages about the event.
  position                integer NOT NULL,
  event_id                text NOT NULL,
  event_hash              text NOT NULL,
  -- The error declaration time as an instant ('' when none): with event_id and event_hash, the order of inserts.
  declared_key            text NOT NULL,
  event_type              text NOT NULL,
  event_time              timestamptz NOT NULL,
  event_time_zone_offset  text NOT NULL,
  action                  text,
  biz_step                text,
  disposition             text,
  read_point              text,
  biz_location            text,
  transformation_id       text,
  error_declaration_time  timestamptz,
  error_reason            text,
  body                    jsonb NOT NULL,
  extensions              jsonb,
  leaf_hash               bytea NOT NULL,
  -- event_identifier rows, column by column.
  identifier_roles        smallint[] NOT NULL,
  identifiers             text[] NOT NULL,
  quantities              numeric[] NOT NULL,
  uoms                    text[] NOT NULL,
  -- event_link rows, column by column.
  link_kinds              smallint[] NOT NULL,
  link_types              text[] NOT NULL,
  link_values             text[] NOT NULL,
  -- The rarer rows (event_field, sensor_report, event_persistent_disposition, lot_member), null when none.
  extras                  jsonb
) WITH (toast_tuple_target = 8160);
CREATE INDEX capture_staged_event_job_idx ON capture_staged_event (capture_job_id);

-- A job whose events are staged (false: a job accepted before, its events in capture_job_part or its document).
ALTER TABLE capture_job ADD COLUMN staged boolean NOT NULL DEFAULT false;
-- The GS1 Company Prefixes its events spell out, recorded when the job is stored.
ALTER TABLE capture_job ADD COLUMN company_prefixes text[] NOT NULL DEFAULT '{}';

-- Measured with the capture bench's floor (the same rows COPYed into copies of the tables): the foreign keys from
-- the rows that index an event to `event` cost about a third of PostgreSQL's time per event (a lookup and a row
-- lock on `event` for each of the ~13 rows an event writes). Those rows are written only by the statement that
-- inserts their event, from the same staged row, and events are never deleted (the ledger would show it), so the
-- keys guard nothing the writer does not already guarantee.
ALTER TABLE event_identifier DROP CONSTRAINT event_identifier_event_pk_fkey;
ALTER TABLE event_link DROP CONSTRAINT event_link_event_pk_fkey;
ALTER TABLE event_field DROP CONSTRAINT event_field_event_pk_fkey;
ALTER TABLE sensor_report DROP CONSTRAINT sensor_report_event_pk_fkey;
ALTER TABLE event_persistent_disposition DROP CONSTRAINT event_persistent_disposition_event_pk_fkey;
ALTER TABLE lot_member DROP CONSTRAINT lot_member_event_pk_fkey;
-- event_identifier_event_role_idx (event_pk, role, identifier) serves every lookup by event_pk this one did.
DROP INDEX event_identifier_event_idx;
