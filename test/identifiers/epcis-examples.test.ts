import t from 'tap';
import { canonicalIdentifier, toDigitalLink, toEpcUrn, validateIdentifier } from '../../src/identifiers/index.js';
import { listFiles, readProjectFile } from './fixtures.js';

// Every identifier in the GS1 EPCIS 2.0 JSON examples, found by walking the documents.
const LIST_FIELDS = new Set(['epcList', 'childEPCs', 'inputEPCList', 'outputEPCList']);
const VALUE_FIELDS = new Set(['parentID', 'epcClass', 'source', 'destination']);
const OBJECT_ID_FIELDS = new Set(['readPoint', 'bizLocation']);

function collect(node: unknown, into: Set<string>): void {
  if (Array.isArray(node)) {
    for (const item of node) collect(item, into);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  for (const [key, value] of Object.entries(node)) {
    if (LIST_FIELDS.has(key) && Array.isArray(value)) {
      for (const item of value) if (typeof item === 'string') into.add(item);
    } else if (VALUE_FIELDS.has(key) && typeof value === 'string') {
      into.add(value);
    } else if (OBJECT_ID_FIELDS.has(key) && value && typeof value === 'object' && typeof (value as { id?: unknown }).id === 'string') {
      into.add((value as { id: string }).id);
    }
    collect(value, into);
  }
}

const identifiers = new Set<string>();
for (const file of listFiles('test/fixtures/gs1/epcis-examples/json')) collect(JSON.parse(readProjectFile(file)), identifiers);
const urns = [...identifiers].filter((id) => id.startsWith('urn:epc:'));
const links = [...identifiers].filter((id) => id.startsWith('http'));

// Company prefixes as the examples' EPC URNs spell them; other keys fall back to 7 digits, which
// fits every key in the examples (a round trip works with any length that fits).
const knownPrefixes = [...new Set(urns.map((urn) => urn.split(':')[4]!.split('.')[0]!))].sort((a, b) => b.length - a.length);
const prefixLength = (digits: string) => knownPrefixes.find((prefix) => digits.startsWith(prefix))?.length ?? 7;

t.test('the examples hold identifiers in both forms', async (t) => {
  t.ok(identifiers.size > 80, `${identifiers.size} identifiers`);
  t.ok(urns.length > 50);
  t.ok(links.length > 5);
});

t.test('every example identifier is valid', async (t) => {
  for (const id of identifiers) t.equal(validateIdentifier(id), undefined, id);
});

t.test('EPC URN -> Digital Link -> EPC URN is unchanged', async (t) => {
  for (const urn of urns) {
    const link = toDigitalLink(urn);
    if (link === undefined) {
      t.equal(canonicalIdentifier(urn), urn, `${urn} is not a GS1 key`);
      continue;
    }
    t.equal(canonicalIdentifier(urn), link);
    t.equal(toEpcUrn(link, prefixLength), urn, urn);
  }
});

t.test('Digital Link -> EPC URN -> Digital Link is unchanged', async (t) => {
  for (const link of links) {
    const canonical = canonicalIdentifier(link);
    const urn = toEpcUrn(link, prefixLength);
    t.ok(urn, `${link} has an EPC URN`);
    t.equal(toDigitalLink(urn!), canonical, `${link} via ${urn}`);
  }
});
