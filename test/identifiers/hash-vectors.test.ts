import t from 'tap';
import { eventHashIdentifier } from '../../src/identifiers/index.js';
import { readProjectFile } from './fixtures.js';

// The CBV 2.0 event-hash reference implementation (test/fixtures/gs1/hash-vectors) rewrites every
// EPC into the canonical Digital Link before hashing. Its pre-hash string for
// epclist_normalisation lists those canonical forms, sorted: eventHashIdentifier must give them (the
// canonical keys percent-encode ' ; = as the URI syntax asks, the hash pre-image keeps them literal).
t.test('event-hash identifiers equal the normaliser output for epclist_normalisation', async (t) => {
  const document = JSON.parse(readProjectFile('test/fixtures/gs1/hash-vectors/examples/epclist_normalisation.jsonld')) as {
    epcisBody: { eventList: { epcList: string[] }[] };
  };
  const prehash = readProjectFile('test/fixtures/gs1/hash-vectors/examples/epclist_normalisation.prehashes')
    .split('\n')
    .find((line) => line.startsWith('eventType=ObjectEvent'))!;
  const expected = prehash.slice(prehash.indexOf('epcListepc=') + 'epcListepc='.length, prehash.indexOf('action=')).split('epc=');
  const actual = document.epcisBody.eventList[0]!.epcList.map((epc) => eventHashIdentifier(epc)).sort();
  t.same(actual, [...expected].sort());
  t.equal(actual.length, 23);
});
