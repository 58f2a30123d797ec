import { provenanceParameterDocs } from '../federation/query.js'

/**
 * Descriptions of every query parameter for the OpenAPI document (semantics per EPCIS 2.0 section
 * 8.2.7.1). Families whose names carry a value are listed with a placeholder in braces, e.g.
 * `EQ_bizTransaction_{type}`.
 */
const anyOf = 'Several values may be given separated by | (any of them matches).'
const identifier = 'Identifiers match whether written as EPC URN or GS1 Digital Link (any host).'
const pattern = `${identifier} EPC pattern URIs (urn:epc:idpat:...) match every identifier they cover.`
const cbv = 'CBV values match whether written as bare word, URN or Web URI.'
const field =
  '{field} is an extension field name: prefix:localName, the prefix declared in the GS1-Extensions request header ' +
  '(prefix=namespace, ...) or by a captured document; or the full IRI.'
const compare = (what: string) =>
  `GT_ / GE_ / LT_ / LE_ compare ${what} with one number or one date-time; EQ_ compares with any of several values ` +
  '(as text, and as a number or a time where the value reads as one).'
const sensorNote =
  'All sensor parameters of a query must hold for one and the same sensorReport (its sensorMetadata counting as part of it).'
const uom =
  '{uom} is a UN/ECE Recommendation 20 unit code; values recorded in another unit of the same dimension are converted ' +
  '(e.g. GE_value_KEL matches readings in CEL).'

export const queryParameterDocs: Record<string, string> = {
  eventType: `Only events of these types (ObjectEvent, AggregationEvent, TransactionEvent, TransformationEvent, AssociationEvent or an extension type URI). ${anyOf}`,
  GE_eventTime: 'Only events whose eventTime is at or after this date-time (with a time zone).',
  LT_eventTime: 'Only events whose eventTime is before this date-time.',
  GE_recordTime: 'Only events recorded by this repository at or after this date-time.',
  LT_recordTime: 'Only events recorded by this repository before this date-time.',
  EQ_action: `Only events whose action is one of these (ADD, OBSERVE, DELETE). ${anyOf}`,
  EQ_bizStep: `Only events whose bizStep is one of these. ${cbv} ${anyOf}`,
  EQ_disposition: `Only events whose disposition is one of these. ${cbv} ${anyOf}`,
  EQ_persistentDisposition_set: `Only events whose persistentDisposition.set holds one of these dispositions. ${cbv} ${anyOf}`,
  EQ_persistentDisposition_unset: `Only events whose persistentDisposition.unset holds one of these dispositions. ${cbv} ${anyOf}`,
  EQ_readPoint: `Only events whose readPoint is one of these locations. ${identifier} ${anyOf}`,
  WD_readPoint: `Only events whose readPoint is one of these locations or a direct or indirect child of one in the master data (children). ${identifier} ${anyOf}`,
  EQ_bizLocation: `Only events whose bizLocation is one of these locations. ${identifier} ${anyOf}`,
  WD_bizLocation: `Only events whose bizLocation is one of these locations or a direct or indirect child of one in the master data (children). ${identifier} ${anyOf}`,
  EQ_transformationID: `Only events with one of these transformationIDs. ${anyOf}`,
  EQ_publicationState: `Extension (publication control): only events in one of these publication states: published, held, rejected. Another organisation's events are seen only when published; the capturing organisation, auditors and authorities see every state. ${anyOf}`,
  EQ_eventID: `Only events with one of these eventIDs (an event's error declarations share its eventID). ${anyOf}`,
  MATCH_epc: `Only events whose epcList or childEPCs holds a match. ${pattern} ${anyOf}`,
  MATCH_parentID: `Only events whose parentID matches. ${pattern} ${anyOf}`,
  MATCH_inputEPC: `Only events whose inputEPCList holds a match. ${pattern} ${anyOf}`,
  MATCH_outputEPC: `Only events whose outputEPCList holds a match. ${pattern} ${anyOf}`,
  MATCH_anyEPC: `Only events with a match in epcList, parentID, childEPCs, inputEPCList or outputEPCList. ${pattern} ${anyOf}`,
  MATCH_epcClass: `Only events whose quantityList or childQuantityList names a matching class. ${pattern} ${anyOf}`,
  MATCH_inputEPCClass: `Only events whose inputQuantityList names a matching class. ${pattern} ${anyOf}`,
  MATCH_outputEPCClass: `Only events whose outputQuantityList names a matching class. ${pattern} ${anyOf}`,
  MATCH_anyEPCClass: `Only events naming a matching class in any quantity list. ${pattern} ${anyOf}`,
  EQ_quantity: `Only events with a QuantityElement whose quantity equals one of these numbers (whatever its unit). ${anyOf}`,
  GT_quantity: 'Only events with a QuantityElement whose quantity is greater than this number.',
  GE_quantity: 'Only events with a QuantityElement whose quantity is at least this number.',
  LT_quantity: 'Only events with a QuantityElement whose quantity is less than this number.',
  LE_quantity: 'Only events with a QuantityElement whose quantity is at most this number.',
  'EQ_quantity_{uom}': `Like EQ_quantity, for QuantityElements in unit {uom}. ${uom}`,
  'GT_quantity_{uom}': `Like GT_quantity, in unit {uom} (also GE_, LT_, LE_quantity_{uom}). ${uom}`,
  'EQ_bizTransaction_{type}': `Only events with a bizTransactionList entry of this type (CBV bare word or URI) whose value is one of these. ${anyOf}`,
  'EQ_source_{type}': `Only events with a sourceList entry of this type whose value is one of these. ${identifier} ${anyOf}`,
  'EQ_destination_{type}': `Only events with a destinationList entry of this type whose value is one of these. ${identifier} ${anyOf}`,
  EXISTS_errorDeclaration: "Only error declarations (events carrying an errorDeclaration). Takes no value ('true' is accepted, 'false' drops the condition).",
  GE_errorDeclarationTime: 'Only error declarations declared at or after this date-time.',
  LT_errorDeclarationTime: 'Only error declarations declared before this date-time.',
  GE_errorDeclaration_Time: "The query schema's spelling of GE_errorDeclarationTime.",
  LT_errorDeclaration_Time: "The query schema's spelling of LT_errorDeclarationTime.",
  EQ_errorReason: `Only error declarations with one of these reasons. ${cbv} ${anyOf}`,
  EQ_correctiveEventID: `Only error declarations naming one of these corrective eventIDs. ${anyOf}`,
  'EQ_{field}': `Only events with a top-level extension field {field} equal to one of these values. ${field} ${anyOf}`,
  'GT_{field}': `Only events with a top-level extension field {field} greater than this number or date-time (also GE_, LT_, LE_). ${field}`,
  'EXISTS_{field}': `Only events with a top-level extension field {field}. ${field}`,
  'EQ_INNER_{field}': `Like EQ_{field}, for extension fields nested inside a top-level extension field, at any depth (also GT_, GE_, LT_, LE_, EXISTS_INNER_). ${compare('the value')}`,
  'EQ_ILMD_{field}': `Like EQ_{field}, for the top-level fields of ilmd (also GT_, GE_, LT_, LE_, EXISTS_ILMD_, and the INNER_ILMD_ forms for nested fields). ${compare('the value')}`,
  'EQ_ERROR_DECLARATION_{field}': `Like EQ_{field}, for extension fields of errorDeclaration (also GT_, GE_, LT_, LE_, EXISTS_, and INNER_ERROR_DECLARATION_). ${compare('the value')}`,
  'EQ_readPoint_{field}': 'Like EQ_{field}, for extension fields of readPoint (also EQ_INNER_readPoint_{field}).',
  'EQ_bizLocation_{field}': 'Like EQ_{field}, for extension fields of bizLocation (also EQ_INNER_bizLocation_{field}).',
  'HASATTR_{field}': `Only events whose {field} (readPoint, bizLocation, bizStep, disposition or an extension field) is a master-data element with one of these attributes (attribute names as captured, e.g. urn:epcglobal:cbv:mda#sst or cbvmda:sst). ${anyOf}`,
  'EQ_ATTR_{field}_{attribute}': `Only events whose {field} is a master-data element whose attribute {attribute} equals one of these values. ${anyOf}`,
  EXISTS_sensorElementList: 'Only events with a sensorElementList. Takes no value.',
  GE_time: `Only events with a sensorReport (or its sensorMetadata) time at or after this date-time. ${sensorNote}`,
  LT_time: `Only events with a sensorReport (or its sensorMetadata) time before this date-time. ${sensorNote}`,
  GE_startTime: `Only events whose sensorMetadata startTime is at or after this date-time. ${sensorNote}`,
  LT_startTime: `Only events whose sensorMetadata startTime is before this date-time. ${sensorNote}`,
  GE_endTime: `Only events whose sensorMetadata endTime is at or after this date-time. ${sensorNote}`,
  LT_endTime: `Only events whose sensorMetadata endTime is before this date-time. ${sensorNote}`,
  EQ_type: `Only events with a sensorReport of one of these measurement types (GS1 bare word, e.g. Temperature, or URI). ${anyOf} ${sensorNote}`,
  EQ_deviceID: `Only events with a sensorReport whose deviceID (its own or its sensorMetadata's) is one of these. ${anyOf} ${sensorNote}`,
  EQ_dataProcessingMethod: `Only events with a sensorReport whose dataProcessingMethod is one of these. ${anyOf} ${sensorNote}`,
  EQ_microorganism: `Only events with a sensorReport whose microorganism is one of these. ${anyOf} ${sensorNote}`,
  EQ_chemicalSubstance: `Only events with a sensorReport whose chemicalSubstance is one of these. ${anyOf} ${sensorNote}`,
  EQ_bizRules: `Only events with a sensorReport whose bizRules is one of these. ${anyOf} ${sensorNote}`,
  EQ_stringValue: `Only events with a sensorReport whose stringValue is one of these. ${anyOf} ${sensorNote}`,
  EQ_booleanValue: `Only events with a sensorReport whose booleanValue is this (true or false). ${sensorNote}`,
  EQ_hexBinaryValue: `Only events with a sensorReport whose hexBinaryValue is one of these (case-insensitive). ${anyOf} ${sensorNote}`,
  EQ_uriValue: `Only events with a sensorReport whose uriValue is one of these. ${anyOf} ${sensorNote}`,
  EQ_percRank: `Only events with a sensorReport whose percRank equals one of these numbers. ${anyOf} ${sensorNote}`,
  GT_percRank: `Only events with a sensorReport whose percRank is greater than this number (also GE_, LT_, LE_percRank). ${sensorNote}`,
  GE_percRank: `Only events with a sensorReport whose percRank is at least this number. ${sensorNote}`,
  LT_percRank: `Only events with a sensorReport whose percRank is less than this number. ${sensorNote}`,
  LE_percRank: `Only events with a sensorReport whose percRank is at most this number. ${sensorNote}`,
  'EQ_value_{uom}': `Only events with a sensorReport whose value equals one of these numbers in unit {uom}. ${uom} ${anyOf} ${sensorNote}`,
  'GT_value_{uom}': `Only events with a sensorReport whose value is greater than this number in unit {uom} (also GE_, LT_, LE_). ${uom} ${sensorNote}`,
  'GT_minValue_{uom}': `Like GT_value_{uom} for minValue (also GE_, LT_, LE_). ${sensorNote}`,
  'GT_maxValue_{uom}': `Like GT_value_{uom} for maxValue (also GE_, LT_, LE_). ${sensorNote}`,
  'GT_meanValue_{uom}': `Like GT_value_{uom} for meanValue (also GE_, LT_, LE_). ${sensorNote}`,
  'GT_sDev_{uom}': `Like GT_value_{uom} for sDev (also GE_, LT_, LE_). ${sensorNote}`,
  'GT_percValue_{uom}': `Like GT_value_{uom} for percValue (also GE_, LT_, LE_). ${sensorNote}`,
  'EQ_SENSORELEMENT_{field}': `Like EQ_{field}, for extension fields of a sensorElement (also GT_, GE_, LT_, LE_, EXISTS_, INNER_). ${sensorNote}`,
  'EQ_SENSORMETADATA_{field}': `Like EQ_{field}, for extension fields of sensorMetadata (also GT_, GE_, LT_, LE_, EXISTS_, INNER_). ${sensorNote}`,
  'EQ_SENSORREPORT_{field}': `Like EQ_{field}, for extension fields of a sensorReport (also GT_, GE_, LT_, LE_, EXISTS_, INNER_). ${sensorNote}`,
  ...provenanceParameterDocs,
  orderBy: 'Order the results by eventTime, recordTime or a top-level extension field ({field} as above; ascending: numbers, then times, then texts by code point, descending the reverse; events without the field come last either way). Without orderBy, events come in the order they were stored.',
  orderDirection: 'ASC or DESC (the default) when orderBy is given.',
  eventCountLimit: 'Only the first N events in the orderBy order (needs orderBy; not together with maxEventCount).',
  maxEventCount: 'If more than N events match, the answer is 413 QueryTooLargeException instead (not together with eventCountLimit).',
  perPage: 'How many events one page holds.',
  nextPageToken: 'The token from the previous page\'s Link rel="next" header.',
}

/** The query string as documented in the OpenAPI (the service parses it itself). */
export const documentedQueryString = {
  type: 'object',
  additionalProperties: true,
  properties: Object.fromEntries(
    Object.entries(queryParameterDocs).map(([name, description]) => [name, { type: 'string', description }]),
  ),
}
