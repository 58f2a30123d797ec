-- Event identity (CBV 2.0 event hash), error declarations, and GS1 Company Prefixes.

-- Capturing an event already stored stores nothing new. "Already stored" means the same eventID
-- with the same CBV 2.0 event hash: a retry. An event without eventID gets its hash as eventID, so
-- a re-sent event without eventID is a retry too. The same eventID with other content, or the same
-- content under another eventID, is kept (nothing a client sent is silently dropped). An error
-- declaration hashes like the event it declares erroneous (errorDeclaration is not hashed), so
-- declarations are unique per declared event and declaration time.
CREATE UNIQUE INDEX event_identity_key ON event (event_id, event_hash) WHERE error_declaration_time IS NULL;
CREATE UNIQUE INDEX event_declaration_key ON event (event_id, event_hash, error_declaration_time)
  WHERE error_declaration_time IS NOT NULL;
CREATE INDEX event_hash_idx ON event (event_hash);
CREATE INDEX event_declared_idx ON event (event_id) WHERE error_declaration_time IS NOT NULL;

-- GS1 Company Prefixes, known from captured EPC URNs or set by an operator; needed to write a
-- Digital Link as an EPC URN (the URN separates the company prefix, the Digital Link does not).
CREATE TABLE company_prefix (
  prefix      text COLLATE "C" PRIMARY KEY CHECK (prefix ~ '^[0-9]{4,12}$'),
  source      text NOT NULL CHECK (source IN ('captured', 'operator')),
  created_at  timestamptz NOT NULL DEFAULT now()
);

-- EQ_correctiveEventID looks inside error declarations only.
CREATE INDEX event_corrective_ids_idx ON event USING gin ((body -> 'errorDeclaration' -> 'correctiveEventIDs'))
  WHERE error_declaration_time IS NOT NULL;

-- A capture job counts the events it found already stored (idempotent re-capture).
ALTER TABLE capture_job ADD COLUMN duplicate_count integer NOT NULL DEFAULT 0;
