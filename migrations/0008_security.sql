-- Security (issue 8): organisations, their identifiers, API keys, and who owns what. Forward-only.

-- An organisation, with the id the operator gives it (e.g. its tax code or a short name).
CREATE TABLE organisation (
  id          text COLLATE "C" PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
  name        text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

-- The GS1 identifiers that belong to an organisation, as digits: a GLN or PGLN (13 digits) or a GS1
-- Company Prefix (4 to 12 digits). Visibility matches them against the canonical keys of events'
-- sources, destinations and bizLocation; link administration against the keys a link set is for.
CREATE TABLE organisation_identifier (
  organisation_id  text COLLATE "C" NOT NULL REFERENCES organisation (id) ON DELETE CASCADE,
  kind             text NOT NULL CHECK (kind IN ('gln', 'pgln', 'company_prefix')),
  digits           text COLLATE "C" NOT NULL CHECK (digits ~ '^[0-9]{4,13}$'),
  PRIMARY KEY (organisation_id, kind, digits)
);
CREATE INDEX organisation_identifier_digits_idx ON organisation_identifier (digits);

-- API keys: only a SHA-256 hash of the secret is kept; the prefix finds the row. organisation_id is
-- null only for operator keys (the bootstrap admin key).
CREATE TABLE api_key (
  id               text COLLATE "C" PRIMARY KEY,
  prefix           text COLLATE "C" NOT NULL UNIQUE,
  secret_hash      bytea NOT NULL,
  organisation_id  text COLLATE "C" REFERENCES organisation (id),
  roles            text[] NOT NULL,
  description      text,
  expires_at       timestamptz,
  revoked_at       timestamptz,
  created_at       timestamptz NOT NULL DEFAULT now(),
  last_used_at     timestamptz
);
CREATE INDEX api_key_organisation_idx ON api_key (organisation_id, created_at DESC, id);
CREATE INDEX api_key_created_idx ON api_key (created_at DESC, id DESC);

-- The organisation that captured an event or submitted a job; null for rows stored before this
-- migration or by an operator key (the application sets it for every organisation's capture).
ALTER TABLE event ADD COLUMN organisation_id text COLLATE "C";
ALTER TABLE capture_job ADD COLUMN organisation_id text COLLATE "C";
ALTER TABLE vocabulary_element ADD COLUMN organisation_id text COLLATE "C";
ALTER TABLE named_query ADD COLUMN organisation_id text COLLATE "C";
CREATE INDEX event_organisation_idx ON event (organisation_id, id) WHERE organisation_id IS NOT NULL;
CREATE INDEX capture_job_organisation_idx ON capture_job (organisation_id, created_at DESC, id DESC);
CREATE INDEX vocabulary_element_organisation_idx ON vocabulary_element (organisation_id, vocabulary_type, element_id)
  WHERE organisation_id IS NOT NULL;

-- Migration 0005 reserved these for organisations with a numeric key; organisations are keyed by text.
ALTER TABLE resolver_link_set ALTER COLUMN organisation_id TYPE text USING organisation_id::text;
ALTER TABLE vocabulary_element_setting ALTER COLUMN organisation_id TYPE text USING organisation_id::text;
