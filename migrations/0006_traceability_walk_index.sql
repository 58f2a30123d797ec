-- The walk reads the other identifiers of an event by role (the parent of an aggregation a node is a child
-- in, the outputs of a transformation it is an input of): an index-only scan with this index.
CREATE INDEX event_identifier_event_role_idx ON event_identifier (event_pk, role, identifier);
