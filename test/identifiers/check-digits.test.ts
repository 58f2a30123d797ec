import t from 'tap';
import { csumAlphaPair, gs1CheckDigit, hasValidGs1CheckDigit } from '../../src/identifiers/check-digits.js';
import { aiValueError } from '../../src/identifiers/ai-values.js';

t.test('GS1 mod-10 check digits', async (t) => {
  t.equal(gs1CheckDigit('8061414112345'), 8); // TDS example GTIN 80614141123458
  t.equal(gs1CheckDigit('1061414107346'), 4);
  t.equal(gs1CheckDigit('34012345111111111'), 1); // SSCC 340123451111111111
  t.equal(gs1CheckDigit('422635080000'), 8); // GLN 4226350800008
  t.ok(hasValidGs1CheckDigit('09506000134352'));
  t.notOk(hasValidGs1CheckDigit('09506000134353'));
  t.ok(hasValidGs1CheckDigit('40123452223334442'), 'GSIN');
  t.ok(hasValidGs1CheckDigit('12345670'), 'GTIN-8');
});

t.test('alphanumeric check character pairs (GMN, csumalpha linter)', async (t) => {
  // Vectors from the GS1 Syntax Dictionary reference linter tests and GS1 examples.
  for (const valid of [
    '1987654Ad4X4bL5ttr2310c2K',
    '12345678901234567890123NT',
    '12345_ABCDEFGHIJKLMCP',
    '12345_abcdefghijklmN3',
    "12345_!\"%&'()*+,-./LC",
    '12345_0123456789:;<=>?62',
    '7907665Bm8v2AB',
    '00000!HV',
    '99999zzzzzzzzzzzzzzzzzzT2',
    '5060917511473062B98T',
    '12345678901234MS',
  ]) {
    t.equal(csumAlphaPair(valid.slice(0, -2)), valid.slice(-2), valid);
  }
  t.equal(csumAlphaPair(''), '22');
  t.equal(csumAlphaPair('abc def'), undefined, 'space is not in CSET 82');
  t.match(aiValueError('8013', '1987654Ad4X4bL5ttr2310cXK'), /\(8013\) GMN .*incorrect check character pair \(expected 2K\)/);
  t.equal(aiValueError('8013', '1987654Ad4X4bL5ttr2310c2K'), undefined);
});
