-- Traceability: lineage, recall and state walk the stored events (event_identifier by identifier and by
-- event, event.transformation_id, event_link by event); they need one more fact that the canonical keys lose.

-- The lot a serialised instance belongs to, as an event states it: the ILMD lotNumber of the event that
-- commissioned or produced the instance, or the lot qualifier (AI 10) of a Digital Link naming it. Written at
-- capture, because the canonical key of a serial drops its lot. One row per (event, instance, lot).
CREATE TABLE lot_member (
  event_pk  bigint NOT NULL REFERENCES event (id) ON DELETE CASCADE,
  instance  text COLLATE "C" NOT NULL,
  lot       text COLLATE "C" NOT NULL
);
CREATE INDEX lot_member_lot_idx ON lot_member (lot, event_pk);
CREATE INDEX lot_member_instance_idx ON lot_member (instance, event_pk);
CREATE INDEX lot_member_event_idx ON lot_member (event_pk);
