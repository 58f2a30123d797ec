-- The EPCIS 2.0 query interface: per-event rows that the query parameters need (extension fields,
-- sensor reports, persistent dispositions), canonical keys of master data, named queries, and an
-- index under every parameter's SQL. Rows are written at capture; events stored before this
-- migration are not re-indexed (their extension, sensor and persistentDisposition fields are not
-- queryable until captured again).

-- Every extension field of an event, one row per occurrence (arrays give one row per item), in the
-- place where it sits: scope 0 the event itself, 1 ilmd, 2 errorDeclaration, 3 readPoint,
-- 4 bizLocation, 5 sensorElement, 6 sensorMetadata, 7 sensorReport. `nested` is false for the
-- top-level fields of the scope (EQ_fieldname, EQ_ILMD_fieldname, ...) and true for fields inside
-- them (the INNER_ forms). `name` is the full IRI. A scalar value is kept as text and, when it reads
-- as one, as a number and as a time, so that EQ compares text and GT/GE/LT/LE compare numbers or
-- times; an object gives a row without value (EXISTS_) and rows for its own fields.
CREATE TABLE event_field (
  event_pk        bigint NOT NULL REFERENCES event (id) ON DELETE CASCADE,
  scope           smallint NOT NULL,
  name            text COLLATE "C" NOT NULL,
  nested          boolean NOT NULL,
  sensor_element  smallint,
  sensor_report   smallint,
  value_text      text COLLATE "C",
  value_num       numeric,
  value_time      timestamptz
);
-- B-tree keys are limited in size: long texts are indexed by their first 200 characters (queries
-- compare both the prefix and the whole text).
CREATE INDEX event_field_text_idx ON event_field (name, scope, nested, left(value_text, 200))
  INCLUDE (event_pk, sensor_element, sensor_report);
CREATE INDEX event_field_num_idx ON event_field (name, scope, nested, value_num)
  INCLUDE (event_pk, sensor_element, sensor_report) WHERE value_num IS NOT NULL;
CREATE INDEX event_field_time_idx ON event_field (name, scope, nested, value_time)
  INCLUDE (event_pk, sensor_element, sensor_report) WHERE value_time IS NOT NULL;
CREATE INDEX event_field_event_idx ON event_field (event_pk);

-- One row per sensorReport, with the sensorMetadata of its sensorElement filled in where the report
-- does not say otherwise (time, deviceID, dataProcessingMethod, bizRules) and startTime / endTime:
-- a sensor query holds when one row satisfies all its conditions. URIs and the measurement type
-- are canonical keys; hexBinaryValue is upper case.
CREATE TABLE sensor_report (
  event_pk                bigint NOT NULL REFERENCES event (id) ON DELETE CASCADE,
  sensor_element          smallint NOT NULL,
  sensor_report           smallint NOT NULL,
  type                    text COLLATE "C",
  device_id               text COLLATE "C",
  data_processing_method  text COLLATE "C",
  biz_rules               text COLLATE "C",
  microorganism           text COLLATE "C",
  chemical_substance      text COLLATE "C",
  string_value            text COLLATE "C",
  boolean_value           boolean,
  hex_binary_value        text COLLATE "C",
  uri_value               text COLLATE "C",
  time                    timestamptz,
  start_time              timestamptz,
  end_time                timestamptz,
  uom                     text COLLATE "C",
  value                   numeric,
  min_value               numeric,
  max_value               numeric,
  mean_value              numeric,
  s_dev                   numeric,
  perc_rank               numeric,
  perc_value              numeric
);
CREATE INDEX sensor_report_event_idx ON sensor_report (event_pk);
CREATE INDEX sensor_report_type_idx ON sensor_report (type) INCLUDE (event_pk) WHERE type IS NOT NULL;
CREATE INDEX sensor_report_device_idx ON sensor_report (device_id) INCLUDE (event_pk) WHERE device_id IS NOT NULL;
CREATE INDEX sensor_report_method_idx ON sensor_report (data_processing_method) INCLUDE (event_pk)
  WHERE data_processing_method IS NOT NULL;
CREATE INDEX sensor_report_rules_idx ON sensor_report (biz_rules) INCLUDE (event_pk) WHERE biz_rules IS NOT NULL;
CREATE INDEX sensor_report_microorganism_idx ON sensor_report (microorganism) INCLUDE (event_pk)
  WHERE microorganism IS NOT NULL;
CREATE INDEX sensor_report_chemical_idx ON sensor_report (chemical_substance) INCLUDE (event_pk)
  WHERE chemical_substance IS NOT NULL;
CREATE INDEX sensor_report_string_idx ON sensor_report (left(string_value, 200)) INCLUDE (event_pk)
  WHERE string_value IS NOT NULL;
CREATE INDEX sensor_report_boolean_idx ON sensor_report (boolean_value) INCLUDE (event_pk) WHERE boolean_value IS NOT NULL;
CREATE INDEX sensor_report_hex_idx ON sensor_report (left(hex_binary_value, 200)) INCLUDE (event_pk)
  WHERE hex_binary_value IS NOT NULL;
CREATE INDEX sensor_report_uri_idx ON sensor_report (left(uri_value, 200)) INCLUDE (event_pk) WHERE uri_value IS NOT NULL;
CREATE INDEX sensor_report_time_idx ON sensor_report (time) INCLUDE (event_pk) WHERE time IS NOT NULL;
CREATE INDEX sensor_report_start_idx ON sensor_report (start_time) INCLUDE (event_pk) WHERE start_time IS NOT NULL;
CREATE INDEX sensor_report_end_idx ON sensor_report (end_time) INCLUDE (event_pk) WHERE end_time IS NOT NULL;
CREATE INDEX sensor_report_value_idx ON sensor_report (uom, value) INCLUDE (event_pk) WHERE value IS NOT NULL;
CREATE INDEX sensor_report_min_idx ON sensor_report (uom, min_value) INCLUDE (event_pk) WHERE min_value IS NOT NULL;
CREATE INDEX sensor_report_max_idx ON sensor_report (uom, max_value) INCLUDE (event_pk) WHERE max_value IS NOT NULL;
CREATE INDEX sensor_report_mean_idx ON sensor_report (uom, mean_value) INCLUDE (event_pk) WHERE mean_value IS NOT NULL;
CREATE INDEX sensor_report_sdev_idx ON sensor_report (uom, s_dev) INCLUDE (event_pk) WHERE s_dev IS NOT NULL;
CREATE INDEX sensor_report_perc_value_idx ON sensor_report (uom, perc_value) INCLUDE (event_pk) WHERE perc_value IS NOT NULL;
CREATE INDEX sensor_report_perc_rank_idx ON sensor_report (perc_rank) INCLUDE (event_pk) WHERE perc_rank IS NOT NULL;

-- persistentDisposition.set (unset = false) and .unset (unset = true), canonical dispositions.
CREATE TABLE event_persistent_disposition (
  event_pk     bigint NOT NULL REFERENCES event (id) ON DELETE CASCADE,
  unset        boolean NOT NULL,
  disposition  text COLLATE "C" NOT NULL
);
CREATE INDEX event_persistent_disposition_lookup_idx ON event_persistent_disposition (disposition, unset, event_pk);
CREATE INDEX event_persistent_disposition_event_idx ON event_persistent_disposition (event_pk);

-- The canonical key of each stored master-data version and of its children, so that WD_readPoint,
-- WD_bizLocation, HASATTR_ and EQ_ATTR_ compare master data with the events' canonical keys.
-- The newest version of a key (highest element_pk) is the one that counts.
CREATE TABLE vocabulary_element_key (
  element_pk   bigint PRIMARY KEY REFERENCES vocabulary_element (id) ON DELETE CASCADE,
  element_key  text COLLATE "C" NOT NULL,
  child_keys   text[] NOT NULL DEFAULT '{}'
);
CREATE INDEX vocabulary_element_key_idx ON vocabulary_element_key (element_key, element_pk DESC);
CREATE INDEX vocabulary_element_attributes_idx ON vocabulary_element USING gin (attributes jsonb_path_ops);

-- Named queries (POST /queries): the query as given and the namespaces its prefixes resolved to.
CREATE TABLE named_query (
  name        text COLLATE "C" PRIMARY KEY,
  query       jsonb NOT NULL,
  namespaces  jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at  timestamptz NOT NULL DEFAULT now()
);

-- Parameters on event columns that had no index yet.
CREATE INDEX event_error_declaration_time_idx ON event (error_declaration_time) WHERE error_declaration_time IS NOT NULL;
CREATE INDEX event_error_reason_idx ON event (error_reason) WHERE error_reason IS NOT NULL;
-- EQ_quantity ... (any unit) and EQ_quantity_<UOM> ... (per unit).
CREATE INDEX event_identifier_quantity_idx ON event_identifier (quantity) INCLUDE (event_pk, role)
  WHERE quantity IS NOT NULL;
CREATE INDEX event_identifier_uom_quantity_idx ON event_identifier (uom, quantity) INCLUDE (event_pk, role)
  WHERE quantity IS NOT NULL;
