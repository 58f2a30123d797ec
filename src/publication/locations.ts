/** The vocabulary types whose elements are locations: a bizLocation or readPoint is known when it is one of them. */
export const LOCATION_TYPES = ['urn:epcglobal:epcis:vtype:BusinessLocation', 'urn:epcglobal:epcis:vtype:ReadPoint']
