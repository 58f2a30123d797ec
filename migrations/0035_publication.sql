-- Publication control (issue 18): which stored events are published, held for review or rejected. Forward-only.

-- Each organisation's policy: 'auto' publishes on capture the events that pass the checks and holds the
-- others; 'review' holds every event for a reviewer.
ALTER TABLE organisation ADD COLUMN publication_policy text NOT NULL DEFAULT 'auto'
  CHECK (publication_policy IN ('auto', 'review'));

-- A row only for an event that was ever not published: an event without a row is published. Capture
-- writes rows only for the events it holds, so a capture of events that pass costs one statement that
-- inserts nothing, and "published only" is an anti-join on this table's primary key. A held event that a
-- reviewer approves keeps its row (state 'published', with the reasons it was held for); nothing is deleted.
CREATE TABLE event_publication (
  event_pk         bigint PRIMARY KEY,
  organisation_id  text COLLATE "C",
  state            text NOT NULL CHECK (state IN ('held', 'rejected', 'published')),
  -- Reason codes (src/publication/reasons.ts) and, per code, what failed (identifiers, fields, locations).
  reasons          text[] NOT NULL,
  details          jsonb NOT NULL DEFAULT '{}',
  held_at          timestamptz NOT NULL DEFAULT now(),
  decided_at       timestamptz,
  -- Moves on every change of state, so that forwarding can pick up events published by a decision.
  change_seq       bigint NOT NULL
);
CREATE SEQUENCE event_publication_change_seq;
ALTER TABLE event_publication ALTER COLUMN change_seq SET DEFAULT nextval('event_publication_change_seq');
-- One index besides the key: every held event's row is written on the capture path. "Published only"
-- (src/publication/published.ts) probes the events not published; EQ_publicationState=held|rejected and the review
-- list (newest first, by event key) read them in key order. Organisation and reason filters are row filters.
CREATE INDEX event_publication_unpublished_idx ON event_publication (event_pk) WHERE state <> 'published';
-- Events published by a decision, in the order of decisions (for forwarding).
CREATE INDEX event_publication_change_idx ON event_publication (change_seq) WHERE decided_at IS NOT NULL;

-- Settings of the checks: one row.
CREATE TABLE publication_setting (
  id                  boolean PRIMARY KEY DEFAULT true CHECK (id),
  -- An event older than this (by eventTime) is held.
  max_event_age       interval NOT NULL DEFAULT interval '1825 days',
  -- An eventTime later than now by more than this is held (clocks of devices drift).
  future_tolerance    interval NOT NULL DEFAULT interval '5 minutes',
  updated_at          timestamptz NOT NULL DEFAULT now()
);
INSERT INTO publication_setting DEFAULT VALUES;

-- Key data elements the province requires per business step and/or event type. Each entry of `required`
-- names top-level EPCIS fields, alternatives separated by '|': one of them must be present and not empty.
CREATE TABLE publication_rule (
  id           text COLLATE "C" PRIMARY KEY,
  biz_step     text COLLATE "C",
  event_type   text COLLATE "C",
  required     text[] NOT NULL CHECK (cardinality(required) > 0),
  description  text,
  updated_at   timestamptz NOT NULL DEFAULT now(),
  CHECK (biz_step IS NOT NULL OR event_type IS NOT NULL)
);
INSERT INTO publication_rule (id, biz_step, event_type, required, description) VALUES
  ('commissioning', 'https://ref.gs1.org/cbv/BizStep-commissioning', NULL,
   ARRAY['epcList|quantityList', 'bizLocation'], 'Commissioning names what was made and where'),
  ('shipping', 'https://ref.gs1.org/cbv/BizStep-shipping', NULL,
   ARRAY['epcList|quantityList|childEPCs|childQuantityList|parentID', 'destinationList'], 'Shipping names what was shipped and its destination'),
  ('receiving', 'https://ref.gs1.org/cbv/BizStep-receiving', NULL,
   ARRAY['epcList|quantityList|childEPCs|childQuantityList|parentID', 'sourceList'], 'Receiving names what was received and its source'),
  ('transformation', NULL, 'TransformationEvent',
   ARRAY['inputEPCList|inputQuantityList', 'outputEPCList|outputQuantityList'], 'A transformation names its inputs and outputs');

-- Every review decision, kept for ever, each a leaf of the tamper-evident ledger (entry ledger_seq).
CREATE TABLE publication_decision (
  id             bigserial PRIMARY KEY,
  event_pk       bigint NOT NULL,
  event_id       text NOT NULL,
  decision       text NOT NULL CHECK (decision IN ('approve', 'reject')),
  comment        text,
  decided_by     text NOT NULL,
  decided_at     timestamptz NOT NULL,
  -- The reasons the event was held for when decided.
  reasons        text[] NOT NULL,
  ledger_seq     bigint NOT NULL,
  leaf_index     integer NOT NULL CHECK (leaf_index >= 0),
  leaf_hash      bytea NOT NULL CHECK (octet_length(leaf_hash) = 32),
  UNIQUE (ledger_seq, leaf_index)
);
CREATE INDEX publication_decision_event_idx ON publication_decision (event_pk, id);
