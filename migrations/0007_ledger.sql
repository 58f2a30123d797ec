-- Tamper-evident ledger (issue 8): a hash chain with one entry per capture that stored events, each
-- entry committing to a Merkle tree (RFC 9162) over the events it stored. Forward-only.
-- The algorithm is in README.md ("Tamper-evident ledger") and src/ledger/.

-- One entry per capture that stored at least one new event. entry_hash covers seq, created_at,
-- leaf_count, merkle_root and previous_hash; previous_hash is the entry_hash of seq - 1 (zeros for seq 1).
CREATE TABLE ledger_entry (
  seq             bigint PRIMARY KEY CHECK (seq > 0),
  created_at      timestamptz NOT NULL,
  capture_job_id  bigint,
  leaf_count      integer NOT NULL CHECK (leaf_count > 0),
  merkle_root     bytea NOT NULL CHECK (octet_length(merkle_root) = 32),
  previous_hash   bytea NOT NULL CHECK (octet_length(previous_hash) = 32),
  entry_hash      bytea NOT NULL CHECK (octet_length(entry_hash) = 32)
);

-- The leaves of an entry, one per event it stored, in event key order (leaf_index 0, 1, ...).
-- No foreign keys: verification, not the schema, is what notices a row that went missing, and the
-- checks would cost a lookup per leaf on the capture path.
CREATE TABLE ledger_leaf (
  event_pk    bigint PRIMARY KEY,
  entry_seq   bigint NOT NULL,
  leaf_index  integer NOT NULL CHECK (leaf_index >= 0),
  leaf_hash   bytea NOT NULL CHECK (octet_length(leaf_hash) = 32),
  UNIQUE (entry_seq, leaf_index)
);
