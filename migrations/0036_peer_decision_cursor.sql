-- Issue 18: a push peer's subscription moves in commit order past events that were held; when a reviewer
-- publishes them later, they are sent from here: the change_seq (event_publication) of the last decision
-- whose events the peer was sent. Existing peers start at 0: decisions made before the upgrade go out once.
ALTER TABLE peer ADD COLUMN decision_cursor bigint NOT NULL DEFAULT 0;
