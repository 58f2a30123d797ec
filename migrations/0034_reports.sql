-- Reports for the authorities (issue 18): the priority product list, kept periodic reports, and ledger
-- entries that commit to a document (a kept report) instead of stored events. Forward-only.

-- A category of the priority product list (OCOP, meat, vegetables and fruit, seafood, ...): the products
-- whose GTIN is listed, whose GTIN or SSCC starts with a listed GS1 Company Prefix, or whose product master
-- data (EPCClass) names a listed GPC brick code.
CREATE TABLE product_category (
  id                text COLLATE "C" PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
  name_vi           text NOT NULL,
  name_en           text NOT NULL,
  gtins             text[] NOT NULL DEFAULT '{}',
  company_prefixes  text[] NOT NULL DEFAULT '{}',
  gpc_bricks        text[] NOT NULL DEFAULT '{}',
  updated_at        timestamptz NOT NULL DEFAULT now()
);

-- A ledger entry that commits to one document rather than to stored events: its single leaf is
-- SHA-256 over `nguon-ledger-record-v1 LF kind LF subject LF digest-hex` (RFC 9162 leaf prefix 0x00).
CREATE TABLE ledger_record (
  entry_seq  bigint PRIMARY KEY,
  kind       text COLLATE "C" NOT NULL,
  subject    text COLLATE "C" NOT NULL,
  digest     bytea NOT NULL CHECK (octet_length(digest) = 32)
);
CREATE INDEX ledger_record_subject_idx ON ledger_record (kind, subject);

-- A kept report: its content exactly as hashed (canonical JSON text), so that every download in any format
-- is rendered from the bytes whose SHA-256 the ledger holds.
CREATE TABLE report (
  id            bigserial PRIMARY KEY,
  kind          text NOT NULL CHECK (kind IN ('activity', 'chain')),
  period_from   timestamptz NOT NULL,
  period_to     timestamptz NOT NULL,
  filters       jsonb NOT NULL DEFAULT '{}'::jsonb,
  trigger       text NOT NULL CHECK (trigger IN ('schedule', 'request')),
  content       text NOT NULL,
  content_hash  bytea NOT NULL CHECK (octet_length(content_hash) = 32),
  ledger_seq    bigint NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX report_created_idx ON report (created_at DESC, id DESC);
-- One scheduled report of a kind per period, whichever instance's timer fires first.
CREATE UNIQUE INDEX report_schedule_key ON report (kind, period_from, period_to) WHERE trigger = 'schedule';
