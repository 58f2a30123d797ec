import t from 'tap';
import { canonicalIdentifier } from '../../src/identifiers/index.js';
import { readProjectFile } from './fixtures.js';

// The CBV 2.0 event-hash reference implementation (test/fixtures/gs1/hash-vectors) rewrites every
// EPC into the canonical Digital Link before hashing. Its pre-hash string for
// epclist_normalisation lists those canonical forms, sorted: canonicalIdentifier must give them.
t.test('canonical keys equal the event-hash normaliser output for epclist_normalisation', async (t) => {
  const document = JSON.parse(readProjectFile('test/fixtures/gs1/hash-vectors/examples/epclist_normalisation.jsonld')) as {
    epcisBody: { eventList: { epcList: string[] }[] };
  };
  const prehash = readProjectFile('test/fixtures/gs1/hash-vectors/examples/epclist_normalisation.prehashes')
    .split('\n')
    .find((line) => line.startsWith('eventType=ObjectEvent'))!;
  const expected = prehash.slice(prehash.indexOf('epcListepc=') + 'epcListepc='.length, prehash.indexOf('action=')).split('epc=');
  const actual = document.epcisBody.eventList[0]!.epcList.map((epc) => canonicalIdentifier(epc)).sort();
  t.same(actual, [...expected].sort());
  t.equal(actual.length, 23);
});
