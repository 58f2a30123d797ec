-- Canonical Digital Links follow the GS1 Digital Link URI syntax (issue 14): in a value, the characters
-- ' ; = are percent-encoded (%27 %3B %3D) like every other character of CSET 82 that is not a letter, a
-- digit, "-", "." or "_". Keys stored before kept ' ; = literal; rewrite them. Canonical keys have no
-- query string, so every ' ; = in one is part of a value. Event hashes are unchanged: the CBV 2.0 hash
-- pre-image keeps writing ' ; = literally. Forward-only.

CREATE OR REPLACE FUNCTION pg_temp.dl_encoded(key text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN key LIKE 'https://id.gs1.org/%' OR key LIKE '/%'
    THEN replace(replace(replace(key, '''', '%27'), ';', '%3B'), '=', '%3D') ELSE key END
$$;

UPDATE event SET read_point = pg_temp.dl_encoded(read_point)
  WHERE read_point LIKE 'https://id.gs1.org/%' AND read_point ~ '['';=]';
UPDATE event SET biz_location = pg_temp.dl_encoded(biz_location)
  WHERE biz_location LIKE 'https://id.gs1.org/%' AND biz_location ~ '['';=]';
UPDATE event_identifier SET identifier = pg_temp.dl_encoded(identifier)
  WHERE identifier LIKE 'https://id.gs1.org/%' AND identifier ~ '['';=]';
UPDATE event_link SET value = pg_temp.dl_encoded(value)
  WHERE value LIKE 'https://id.gs1.org/%' AND value ~ '['';=]';
UPDATE lot_member SET instance = pg_temp.dl_encoded(instance), lot = pg_temp.dl_encoded(lot)
  WHERE (instance LIKE 'https://id.gs1.org/%' AND instance ~ '['';=]') OR (lot LIKE 'https://id.gs1.org/%' AND lot ~ '['';=]');
UPDATE vocabulary_element_key
  SET element_key = pg_temp.dl_encoded(element_key),
      child_keys = ARRAY(SELECT CASE WHEN c LIKE 'https://id.gs1.org/%' THEN pg_temp.dl_encoded(c) ELSE c END FROM unnest(child_keys) AS c)
  WHERE (element_key LIKE 'https://id.gs1.org/%' AND element_key ~ '['';=]')
     OR EXISTS (SELECT 1 FROM unnest(child_keys) AS c WHERE c LIKE 'https://id.gs1.org/%' AND c ~ '['';=]');
UPDATE sensor_report SET
    device_id = CASE WHEN device_id LIKE 'https://id.gs1.org/%' THEN pg_temp.dl_encoded(device_id) ELSE device_id END,
    uri_value = CASE WHEN uri_value LIKE 'https://id.gs1.org/%' THEN pg_temp.dl_encoded(uri_value) ELSE uri_value END
  WHERE (device_id LIKE 'https://id.gs1.org/%' AND device_id ~ '['';=]') OR (uri_value LIKE 'https://id.gs1.org/%' AND uri_value ~ '['';=]');
-- Link sets are keyed by the Digital Link path of their key (/01/...).
UPDATE resolver_link_set SET identifier = pg_temp.dl_encoded(identifier)
  WHERE identifier LIKE '/%' AND identifier ~ '['';=]';
