import t from 'tap';
import { decompressDigitalLinkPath } from '../../src/identifiers/dl-decompression.js';
import { IdentifierError, validateIdentifier } from '../../src/identifiers/index.js';
import { readProjectFile, scenarioExamples } from './fixtures.js';

// Vectors: Solidsoft-Reply/Gs1DigitalLinkLib, Tests/Features/DecompressGs1DigitalLink.feature (a .NET port
// of GS1's GS1DigitalLinkCompressionPrototype; see test/fixtures/SOURCE.md). Rows left out, as elsewhere:
//  - AIs 410, 411, 412, 413, 416 are no Digital Link primary keys in the Syntax Dictionary vendored here;
//  - 13-digit GTINs, which the URI syntax does not allow (the library pads them);
//  - I1j3FSNWcOGeFywaR5CZmSmWQ9a1EOwA, whose bits hold AI 235 with AI 253 while the row expects 253 alone.
// ITIP 054123450000130201 (piece 02 of 01) decompresses as published but fails the dictionary's pieceoftotal linter.
const NOT_PRIMARY_KEYS = /^\/(410|411|412|413|416)\//;
const SHORT_GTIN = /^\/01\/\d{13}\//;
const INCONSISTENT = '/I1j3FSNWcOGeFywaR5CZmSmWQ9a1EOwA';
const path = (uri: string) => uri.replace('https://id.gs1.org', '');

const feature = readProjectFile('test/fixtures/gs1/solidsoft-gherkin-vectors/DecompressGs1DigitalLink.feature');

t.test('compressed Digital Links decompress as GS1 publishes them', async (t) => {
  const rows = [
    ...scenarioExamples(feature, 'Decompress a compressed Digital Link').map((r) => [r.compressedDigitalLink!, r.expectedDigitalLink!]),
    ...scenarioExamples(feature, 'Decompress a partially compressed Digital Link').map((r) => [r.partiallyCompressedDigitalLink!, r.expectedDigitalLink!]),
  ];
  t.ok(rows.length > 80);
  let checked = 0;
  for (const [compressed, expected] of rows) {
    const input = path(compressed!);
    const output = path(expected!);
    if (input === INCONSISTENT || SHORT_GTIN.test(input)) continue;
    if (NOT_PRIMARY_KEYS.test(output)) {
      if (input !== output) t.throws(() => decompressDigitalLinkPath(input), IdentifierError, `${input}: no primary key here`);
      continue;
    }
    if (input === output) {
      t.equal(decompressDigitalLinkPath(input), undefined, `${input} is not compressed`);
      continue;
    }
    t.equal(decompressDigitalLinkPath(input), output, input);
    if (!output.includes('054123450000130201')) t.equal(validateIdentifier(`https://id.gs1.org${output}`), undefined, `${output} is valid`);
    checked++;
  }
  t.ok(checked >= 40, `${checked} compressed rows checked`);
});

t.test('the example of the issue, query strings and what is not compressed', async (t) => {
  t.equal(decompressDigitalLinkPath('/AQdMZMwrmA'), '/01/04012345005516');
  t.equal(decompressDigitalLinkPath('/AQdMZMwrmA?linkType=gs1:pip'), '/01/04012345005516?linkType=gs1:pip');
  t.equal(decompressDigitalLinkPath('/AQdMZMwrmA/'), '/01/04012345005516', 'a trailing slash');
  for (const text of ['/events', '/docs', '/favicon.ico', '/a', '/01/04012345005516', '/AQdMZMwrmB', '/AQdMZMwrmAA']) {
    t.equal(decompressDigitalLinkPath(text), undefined, `${text} is not a compressed Digital Link`);
  }
});
