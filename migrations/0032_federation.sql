-- Federation (issue 17): peer repositories this one pushes its events to or pulls events from. Forward-only.

CREATE TABLE peer (
  id                   text COLLATE "C" PRIMARY KEY,
  name                 text NOT NULL,
  -- The peer's EPCIS root: push POSTs to <base_url>/capture, pull GETs <base_url>/events.
  base_url             text NOT NULL,
  direction            text NOT NULL CHECK (direction IN ('push', 'pull')),
  -- 'bearer' or 'oauth2' (client credentials); the secret part is only ever stored encrypted:
  -- AES-256-GCM, iv (12 bytes) || tag (16 bytes) || ciphertext of the credentials' JSON, under the
  -- federation key (FEDERATION_KEY or DATA_DIR/federation.key, never in this database).
  credentials_kind     text NOT NULL CHECK (credentials_kind IN ('bearer', 'oauth2')),
  credentials          bytea NOT NULL,
  -- The first 16 hex digits of SHA-256 of the key that encrypted them (a wrong key is named, not guessed).
  credentials_key_id   text NOT NULL,
  -- The EPCIS query parameters selecting what is pushed or pulled (as a named query's query).
  query                jsonb NOT NULL DEFAULT '{}'::jsonb,
  initial_record_time  timestamptz NOT NULL,
  pull_interval_ms     integer NOT NULL DEFAULT 60000 CHECK (pull_interval_ms >= 1000),
  -- Send every matching event whatever its publication state (stored for the publication rules).
  send_everything      boolean NOT NULL DEFAULT false,
  -- Push: the subscription of the delivery engine that carries the peer's events (and its cursor).
  subscription_id      uuid REFERENCES subscription (id) ON DELETE SET NULL,
  created_at           timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
  updated_at           timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
  events_sent          bigint NOT NULL DEFAULT 0,
  events_received      bigint NOT NULL DEFAULT 0,
  last_success_at      timestamptz,
  last_error           text,
  failing_since        timestamptz,
  -- Pull: the newest record time (at the peer) of the events stored here; the next pull starts an overlap before it.
  pull_cursor          timestamptz,
  last_pull_started_at timestamptz,
  next_pull_at         timestamptz,
  pull_failures        integer NOT NULL DEFAULT 0,
  -- Pull: the instance pulling now, until lease_expires_at (one instance at a time per peer).
  lease_owner          text,
  lease_expires_at     timestamptz
);
CREATE INDEX peer_pull_due_idx ON peer (next_pull_at) WHERE direction = 'pull';

-- Which sender delivers a subscription: null, a webhook (dest); 'peer', src/federation's push to a peer's /capture.
ALTER TABLE subscription ADD COLUMN destination_kind text;
