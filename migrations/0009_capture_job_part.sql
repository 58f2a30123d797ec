-- A capture job's events, one slice per row (issue 5). The request that accepts a document writes it a
-- slice at a time and the worker reads it back a slice at a time, so neither holds a large document whole.
-- capture_job.document now holds the document without its events (header, @context, master data);
-- a job queued before this migration still has its events there, and the worker reads them first.
CREATE TABLE capture_job_part (
  capture_job_id  bigint NOT NULL REFERENCES capture_job (id) ON DELETE CASCADE,
  seq             integer NOT NULL CHECK (seq >= 0),
  -- JSON array of [position in the document's event list, event] pairs: the events accepted, in order.
  events          text NOT NULL,
  PRIMARY KEY (capture_job_id, seq)
);
