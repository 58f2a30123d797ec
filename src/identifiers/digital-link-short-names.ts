/**
 * Alphabetic path names of GS1 Digital Link 1.1 ("gtin" for 01, "ser" for 21, ...). They are
 * deprecated since Digital Link 1.2 but still read: the CBV 2.0 event-hash normaliser accepts them,
 * so the same object must get the same key. Only names of primary keys and key qualifiers are
 * listed; output always uses the numeric AI.
 */
export const DIGITAL_LINK_SHORT_NAMES: ReadonlyMap<string, string> = new Map([
  ['sscc', '00'],
  ['gtin', '01'],
  ['gdti', '253'],
  ['gcn', '255'],
  ['ginc', '401'],
  ['gsin', '402'],
  ['gln', '414'],
  ['payTo', '415'],
  ['party', '417'],
  ['grai', '8003'],
  ['giai', '8004'],
  ['itip', '8006'],
  ['cpid', '8010'],
  ['gmn', '8013'],
  ['gsrnp', '8017'],
  ['gsrn', '8018'],
  ['cpv', '22'],
  ['lot', '10'],
  ['ser', '21'],
  ['glnx', '254'],
  ['cpsn', '8011'],
  ['srin', '8019'],
  ['refno', '8020'],
]);
