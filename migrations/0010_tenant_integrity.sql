-- Integrity between organisations (issue 13, items 5, 6, 7). Forward-only.

-- 5. Who may declare an event erroneous. A declaration takes effect on the events with its eventID that the
-- same organisation captured; one captured with an operator key, or by a caller holding `admin` or
-- `authority`, takes effect on every event with that eventID. Anyone else's declaration is kept (capture only
-- adds) but has no effect. Decided when the declaration is read, so the order of arrival does not matter.
ALTER TABLE event ADD COLUMN declares_for_all boolean NOT NULL DEFAULT false;
ALTER TABLE capture_job ADD COLUMN declares_for_all boolean NOT NULL DEFAULT false;
-- Declarations stored with no organisation came from an operator key (or predate organisations).
UPDATE event SET declares_for_all = true WHERE error_declaration_time IS NOT NULL AND organisation_id IS NULL;

-- 7. Event identity is per organisation: "already stored" means already stored by the same organisation (an
-- operator key counts as one more organisation), so one organisation's capture never reveals or swallows another's.
DROP INDEX event_identity_key;
DROP INDEX event_declaration_key;
CREATE UNIQUE INDEX event_identity_key ON event (event_id, event_hash, (coalesce(organisation_id, '')))
  WHERE error_declaration_time IS NULL;
CREATE UNIQUE INDEX event_declaration_key ON event (event_id, event_hash, error_declaration_time, (coalesce(organisation_id, '')))
  WHERE error_declaration_time IS NOT NULL;

-- 6. Master-data ownership per canonical key (the key vocabulary_element_key holds), whatever spelling of the
-- id and whichever path (PUT /vocabularies, a capture document's header) writes it: the first organisation to
-- write an element owns it. Operator keys write without owning.
CREATE TABLE master_data_owner (
  element_key      text COLLATE "C" PRIMARY KEY,
  organisation_id  text COLLATE "C" NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now()
);
-- Owners so far: whoever set an element's settings (PUT), then the earliest organisation that wrote it.
INSERT INTO master_data_owner (element_key, organisation_id)
SELECT DISTINCT ON (k.element_key) k.element_key, s.organisation_id
FROM vocabulary_element_setting s
JOIN vocabulary_element v ON v.vocabulary_type = s.vocabulary_type AND v.element_id = s.element_id
JOIN vocabulary_element_key k ON k.element_pk = v.id
WHERE s.organisation_id IS NOT NULL
ORDER BY k.element_key, s.updated_at
ON CONFLICT DO NOTHING;
INSERT INTO master_data_owner (element_key, organisation_id)
SELECT DISTINCT ON (k.element_key) k.element_key, v.organisation_id
FROM vocabulary_element v
JOIN vocabulary_element_key k ON k.element_pk = v.id
WHERE v.organisation_id IS NOT NULL
ORDER BY k.element_key, v.id
ON CONFLICT DO NOTHING;
