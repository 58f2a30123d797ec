-- GS1 resolver links and master data set by enterprises (issue 7). Forward-only.

-- The links an enterprise registers for one level of a GS1 key (a primary key with some of its key
-- qualifiers), keyed by its canonical Digital Link path, e.g. /01/09506000134352/10/LOT1. Links the
-- repository provides itself (gs1:epcis, gs1:traceability) are not stored.
-- links: [{ "linkType": "pip", "href", "title", "type"?, "hreflang"?: [], "context"?: [], "fwqs"?: false }] in the
-- order given; linkType is the GS1 Web Vocabulary term name.
-- organisation_id: the organisation that set the links (filled once organisations exist).
CREATE TABLE resolver_link_set (
  identifier         text COLLATE "C" PRIMARY KEY,
  item_description   text NOT NULL,
  default_link_type  text,
  links              jsonb NOT NULL DEFAULT '[]'::jsonb,
  organisation_id    bigint,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now()
);

-- Settings of a master-data element that only its owner may set through the API, not capture
-- documents: whether the consumer page may show its commercial fields (prices, promotions, shops).
CREATE TABLE vocabulary_element_setting (
  vocabulary_type          text COLLATE "C" NOT NULL,
  element_id               text COLLATE "C" NOT NULL,
  allow_commercial_fields  boolean NOT NULL DEFAULT false,
  organisation_id          bigint,
  updated_at               timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (vocabulary_type, element_id)
);
