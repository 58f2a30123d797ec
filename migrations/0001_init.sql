-- Nguồn: initial schema. Forward-only; never edit once merged.

-- Secrets every instance shares (page-token signing key, ...), created on first start.
CREATE TABLE app_secret (
  name        text PRIMARY KEY,
  value       bytea NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

-- One row per POST /capture. The document waits here until a worker on any instance stores its events.
CREATE TABLE capture_job (
  id              bigserial PRIMARY KEY,
  capture_id      text NOT NULL UNIQUE,
  status          text NOT NULL DEFAULT 'queued'
                  CHECK (status IN ('queued', 'running', 'succeeded', 'failed')),
  error_behaviour text NOT NULL CHECK (error_behaviour IN ('rollback', 'proceed')),
  document        text,
  event_count     integer NOT NULL,
  stored_count    integer NOT NULL DEFAULT 0,
  errors          jsonb NOT NULL DEFAULT '[]'::jsonb,
  attempts        integer NOT NULL DEFAULT 0,
  created_at      timestamptz NOT NULL DEFAULT now(),
  started_at      timestamptz,
  finished_at     timestamptz
);
CREATE INDEX capture_job_created_idx ON capture_job (created_at DESC, id DESC);

-- Each distinct JSON-LD @context seen, stored once and shared by the events of every document that used it.
CREATE TABLE document_context (
  id          bigserial PRIMARY KEY,
  digest      text NOT NULL UNIQUE,
  context     jsonb NOT NULL,
  namespaces  jsonb NOT NULL
);

-- One row per stored event: the indexed "what, when, where, why" and the event exactly as captured.
CREATE TABLE event (
  id                      bigserial PRIMARY KEY,
  event_id                text NOT NULL,
  event_hash              text,
  event_type              text NOT NULL,
  event_time              timestamptz NOT NULL,
  event_time_zone_offset  text NOT NULL,
  record_time             timestamptz NOT NULL DEFAULT now(),
  action                  text,
  biz_step                text COLLATE "C",
  disposition             text COLLATE "C",
  read_point              text COLLATE "C",
  biz_location            text COLLATE "C",
  transformation_id       text COLLATE "C",
  error_declaration_time  timestamptz,
  error_reason            text COLLATE "C",
  capture_job_id          bigint REFERENCES capture_job (id),
  context_id              bigint REFERENCES document_context (id),
  body                    jsonb NOT NULL,
  extensions              jsonb
);
CREATE INDEX event_event_id_idx ON event (event_id);
CREATE INDEX event_event_time_idx ON event (event_time, id);
CREATE INDEX event_record_time_idx ON event (record_time, id);
CREATE INDEX event_type_time_idx ON event (event_type, event_time);
CREATE INDEX event_biz_step_idx ON event (biz_step, event_time) WHERE biz_step IS NOT NULL;
CREATE INDEX event_disposition_idx ON event (disposition, event_time) WHERE disposition IS NOT NULL;
CREATE INDEX event_read_point_idx ON event (read_point, event_time) WHERE read_point IS NOT NULL;
CREATE INDEX event_biz_location_idx ON event (biz_location, event_time) WHERE biz_location IS NOT NULL;
CREATE INDEX event_action_idx ON event (action, event_time) WHERE action IS NOT NULL;
CREATE INDEX event_transformation_id_idx ON event (transformation_id) WHERE transformation_id IS NOT NULL;
CREATE INDEX event_capture_job_idx ON event (capture_job_id);
CREATE INDEX event_extensions_idx ON event USING gin (extensions jsonb_path_ops) WHERE extensions IS NOT NULL;

-- Every identifier an event names, by role. Carries MATCH_* queries and lineage.
-- role: 1 epcList, 2 parentID, 3 childEPCs, 4 inputEPCList, 5 outputEPCList,
--       11 quantityList, 13 childQuantityList, 14 inputQuantityList, 15 outputQuantityList (epcClass).
CREATE TABLE event_identifier (
  event_pk    bigint NOT NULL REFERENCES event (id) ON DELETE CASCADE,
  role        smallint NOT NULL,
  identifier  text COLLATE "C" NOT NULL,
  quantity    numeric,
  uom         text
);
CREATE INDEX event_identifier_lookup_idx ON event_identifier (identifier, role, event_pk);
CREATE INDEX event_identifier_event_idx ON event_identifier (event_pk);

-- bizTransactionList (kind 1), sourceList (2), destinationList (3).
CREATE TABLE event_link (
  event_pk  bigint NOT NULL REFERENCES event (id) ON DELETE CASCADE,
  kind      smallint NOT NULL,
  type      text COLLATE "C",
  value     text COLLATE "C" NOT NULL
);
CREATE INDEX event_link_lookup_idx ON event_link (value, kind, event_pk);
CREATE INDEX event_link_event_idx ON event_link (event_pk);

-- Master data from capture documents' headers; every capture adds a version, the newest wins.
CREATE TABLE vocabulary_element (
  id               bigserial PRIMARY KEY,
  vocabulary_type  text COLLATE "C" NOT NULL,
  element_id       text COLLATE "C" NOT NULL,
  attributes       jsonb NOT NULL DEFAULT '[]'::jsonb,
  children         text[] NOT NULL DEFAULT '{}',
  capture_job_id   bigint REFERENCES capture_job (id),
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX vocabulary_element_lookup_idx ON vocabulary_element (vocabulary_type, element_id, id DESC);
CREATE INDEX vocabulary_element_id_idx ON vocabulary_element (element_id, id DESC);
