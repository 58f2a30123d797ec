-- Subscriptions (issue 16): webhook and WebSocket delivery of newly stored events. Forward-only.

-- The transaction that stored each event. Deliveries read events in (commit_xid, id) order and only
-- below the watermark pg_snapshot_xmin(pg_current_snapshot()): every transaction with a smaller id has
-- ended, so no event can later appear behind a subscription's cursor (a cursor on record_time alone
-- would skip an event whose transaction commits after a later-recorded one). Events stored before this
-- migration take '1' (a constant default adds the column without rewriting the table).
ALTER TABLE event ADD COLUMN commit_xid xid8 NOT NULL DEFAULT '1';
ALTER TABLE event ALTER COLUMN commit_xid SET DEFAULT pg_current_xact_id();
CREATE INDEX event_commit_order_idx ON event (commit_xid, id);

-- Every statement that stores events wakes the delivery engines of every instance (LISTEN nguon_events);
-- PostgreSQL sends the notification when, and only if, the transaction commits, once per transaction.
CREATE FUNCTION notify_events_stored() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('nguon_events', '');
  RETURN NULL;
END
$$;
CREATE TRIGGER event_stored_notify AFTER INSERT ON event FOR EACH STATEMENT EXECUTE FUNCTION notify_events_stored();

CREATE TABLE subscription (
  id                   uuid PRIMARY KEY,
  query_name           text COLLATE "C" NOT NULL REFERENCES named_query (name) ON DELETE CASCADE,
  -- Whose view of the events it delivers: the creator's organisation, or everything (operator, auditor, authority).
  organisation_id      text COLLATE "C",
  sees_everything      boolean NOT NULL,
  dest                 text NOT NULL,
  -- The shared secret that signs deliveries (GS1-Signature); never answered by any GET.
  signature_token      text,
  stream               boolean NOT NULL,
  schedule             jsonb,
  report_if_empty      boolean NOT NULL DEFAULT false,
  epc_format           text NOT NULL,
  cbv_xml_format       text NOT NULL,
  initial_record_time  timestamptz NOT NULL,
  -- Milliseconds, as answered and as page tokens carry it.
  created_at           timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
  -- The cursor: the last event the receiver took, in (commit_xid, id) order; moves only on a 2xx.
  after_xid            xid8 NOT NULL,
  after_pk             bigint NOT NULL DEFAULT 0,
  min_record_time      timestamptz NOT NULL,
  last_notified_at     timestamptz,
  -- When it may next be tried: the next scheduled time, or the end of a back-off; null for a stream at rest.
  next_attempt_at      timestamptz,
  failure_count        integer NOT NULL DEFAULT 0,
  failing_since        timestamptz,
  last_error           text,
  -- Events per delivery after a receiver answered 413 (null: SUBSCRIPTION_BATCH_SIZE).
  batch_size           integer,
  -- The instance delivering it now, until expires_at (one instance at a time per subscription).
  lease_owner          text,
  lease_expires_at     timestamptz,
  CHECK (stream <> (schedule IS NOT NULL))
);
CREATE INDEX subscription_query_idx ON subscription (query_name, created_at, id);
CREATE INDEX subscription_organisation_idx ON subscription (organisation_id, created_at, id);
CREATE INDEX subscription_due_idx ON subscription (next_attempt_at NULLS FIRST);

-- Single-use tickets that let a browser (which cannot set Authorization on a WebSocket) open one.
CREATE TABLE websocket_ticket (
  ticket_hash      bytea PRIMARY KEY,
  organisation_id  text COLLATE "C",
  roles            text[] NOT NULL,
  key_id           text,
  subject          text NOT NULL,
  expires_at       timestamptz NOT NULL
);
