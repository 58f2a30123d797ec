/** Descriptions of the query parameters, for the OpenAPI document (semantics per EPCIS 2.0 section 8.2.7). */
const pipeList = 'Several values may be given separated by | (any of them matches).'

export const queryParameterDocs: Record<string, string> = {
  eventType: `Only events of these types (ObjectEvent, AggregationEvent, TransactionEvent, TransformationEvent, AssociationEvent). ${pipeList}`,
  GE_eventTime: 'Only events whose eventTime is at or after this date-time.',
  LT_eventTime: 'Only events whose eventTime is before this date-time.',
  GE_recordTime: 'Only events recorded by this repository at or after this date-time.',
  LT_recordTime: 'Only events recorded by this repository before this date-time.',
  EQ_action: `Only events whose action is one of these (ADD, OBSERVE, DELETE). ${pipeList}`,
  EQ_bizStep: `Only events whose bizStep is one of these (CBV bare word or URI). ${pipeList}`,
  EQ_disposition: `Only events whose disposition is one of these (CBV bare word or URI). ${pipeList}`,
  EQ_readPoint: `Only events whose readPoint is one of these location identifiers. ${pipeList}`,
  EQ_bizLocation: `Only events whose bizLocation is one of these location identifiers. ${pipeList}`,
  EQ_eventID: `Only events with one of these eventIDs. ${pipeList}`,
  EXISTS_errorDeclaration: 'Only error declarations (events carrying an errorDeclaration). Takes no value.',
  GE_errorDeclarationTime: 'Only error declarations declared at or after this date-time.',
  LT_errorDeclarationTime: 'Only error declarations declared before this date-time.',
  GE_errorDeclaration_Time: 'The query schema\'s spelling of GE_errorDeclarationTime.',
  LT_errorDeclaration_Time: 'The query schema\'s spelling of LT_errorDeclarationTime.',
  EQ_errorReason: `Only error declarations with one of these reasons (CBV bare word or URI). ${pipeList}`,
  EQ_correctiveEventID: `Only error declarations naming one of these corrective eventIDs. ${pipeList}`,
  MATCH_epc: `Only events whose epcList or childEPCs holds one of these EPCs or matches one of these EPC patterns. ${pipeList}`,
  MATCH_anyEPC: `Only events naming one of these EPCs in epcList, parentID, childEPCs, inputEPCList or outputEPCList. ${pipeList}`,
  MATCH_epcClass: `Only events whose quantityList or childQuantityList names one of these classes. ${pipeList}`,
  MATCH_anyEPCClass: `Only events naming one of these classes in any quantity list. ${pipeList}`,
  perPage: 'How many events one page holds.',
  nextPageToken: 'The token from the previous page\'s Link rel="next" header.',
}
