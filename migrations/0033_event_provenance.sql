-- Federation, receiving side (issue 17): where each event came from. Forward-only.

-- Who delivered a job besides its organisation: the API key that submitted it (null for a JWT or the operator key),
-- the peer a pull job was fetched from and that peer's EPCIS root, and whether the provenance its document claims
-- is believed (checked when it was accepted: src/federation/provenance-trust.ts; or the job was pulled from a peer).
ALTER TABLE capture_job ADD COLUMN source_api_key text COLLATE "C";
ALTER TABLE capture_job ADD COLUMN source_peer text COLLATE "C";
ALTER TABLE capture_job ADD COLUMN source_repository text COLLATE "C";
ALTER TABLE capture_job ADD COLUMN asserts_provenance boolean NOT NULL DEFAULT false;

-- The provenance of events that came from elsewhere: written only for events that carried trusted provenance
-- (epcisHeader "nguon:provenance") or came through a peer. Every other event was first captured here, and its
-- provenance is read from the event and its job (organisation_id, source_api_key, record_time): the ordinary
-- capture path writes no row here. No foreign key to event, as for the other tables beside it (migration 0030):
-- rows are written only in the transaction that inserts their events, and events are never deleted.
CREATE TABLE event_provenance (
  event_pk                bigint PRIMARY KEY,
  source_peer             text COLLATE "C",
  source_api_key          text COLLATE "C",
  -- The organisation that first captured the event, as named across repositories (a GLN or PGLN as a GS1
  -- Digital Link, see src/federation/organisation-names.ts), and the organisation of this repository it names.
  origin_organisation     text COLLATE "C",
  origin_organisation_id  text COLLATE "C",
  -- The EPCIS root of the repository where the event was first captured, and its recordTime there.
  origin_repository       text COLLATE "C",
  origin_record_time      timestamptz
);
CREATE INDEX event_provenance_origin_organisation_idx ON event_provenance (origin_organisation, event_pk)
  WHERE origin_organisation IS NOT NULL;
CREATE INDEX event_provenance_origin_organisation_id_idx ON event_provenance (origin_organisation_id, event_pk)
  WHERE origin_organisation_id IS NOT NULL;
CREATE INDEX event_provenance_origin_repository_idx ON event_provenance (origin_repository, event_pk)
  WHERE origin_repository IS NOT NULL;
CREATE INDEX event_provenance_source_peer_idx ON event_provenance (source_peer, event_pk) WHERE source_peer IS NOT NULL;
