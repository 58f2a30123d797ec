import t from 'tap';
import { aiValueError } from '../../src/identifiers/ai-values.js';

t.test('valid values', async (t) => {
  for (const [ai, value] of [
    ['00', '340123451111111111'],
    ['01', '09506000134352'],
    ['21', "AB-12/&%\"'()*+,.:;<"],
    ['21', "=>?_z"],
    ['8003', '04012345555554'],
    ['8003', '0401234555555412345678901234567'.slice(0, 30)],
    ['253', '4602443000331XYZ'],
    ['255', '0811625999996554433'],
    ['8006', '054123450000130102'],
    ['8010', '0541234537290A41#GH33'],
    ['8011', '0'],
    ['8011', '6639047221'],
    ['17', '290300'],
    ['17', '240229'],
    ['7003', '2403312359'],
    ['8030', 'AbC-_9=='],
    ['4321', '1'],
    ['7040', '1A2B'],
  ] as const) {
    t.equal(aiValueError(ai, value), undefined, `(${ai}) ${value}`);
  }
});

t.test('errors name the AI and the reason', async (t) => {
  const cases: [string, string, RegExp][] = [
    ['01', '09506000134353', /^AI \(01\) GTIN value "09506000134353" has an incorrect check digit \(expected 2\)$/],
    ['01', '0950600013435', /\(01\) GTIN .*must be 14 digits long/],
    ['01', '0950600013435A', /\(01\) GTIN .*contains "A", which is not a digit/],
    ['00', '340123451111111112', /\(00\) SSCC .*check digit \(expected 1\)/],
    ['21', 'x'.repeat(21), /\(21\) SERIAL .*must be 1 to 20 characters long/],
    ['21', 'a b', /\(21\) SERIAL .*contains " ", which is not in the GS1 AI encodable character set 82/],
    ['21', '', /\(21\) SERIAL .*is empty/],
    ['8003', '14012345555554', /\(8003\) GRAI .*must be 0/],
    ['8003', '04012345555555', /\(8003\) GRAI .*check digit/],
    ['8006', '054123450000130300', /\(8006\) ITIP .*piece number/],
    // Solidsoft's ITIP vector: piece 02 of a total of 01 breaks the pieceoftotal linter.
    ['8006', '054123450000130201', /\(8006\) ITIP .*not a valid piece number of a total/],
    ['8010', '0541234537290a', /\(8010\) CPID .*"a", which is not in GS1 character set 39/],
    ['8011', '012', /\(8011\) CPID SERIAL .*must not start with 0/],
    ['8004', '12AB', /\(8004\) GIAI .*GS1 Company Prefix/],
    ['17', '291331', /\(17\) USE BY or EXPIRY .*not a valid date \(month\)/],
    ['17', '230229', /not a valid date \(day\)/],
    ['7006', '240100', /\(7006\) FIRST FREEZE DATE .*not a valid date \(day\)/],
    ['8030', 'ab+c', /base64url/],
    ['9999', '1', /not a known GS1 Application Identifier/],
  ];
  for (const [ai, value, expected] of cases) t.match(aiValueError(ai, value), expected, `(${ai}) ${value}`);
});
