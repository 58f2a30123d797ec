import t from 'tap';
import {
  IdentifierError,
  canonicalIdentifier,
  identifierKind,
  lotOfSerial,
  toDigitalLink,
  toEpcUrn,
  validateIdentifier,
} from '../../src/identifiers/index.js';

// EPC URN <-> canonical Digital Link for every TDS 2.x scheme. Most pairs are the worked examples
// of the Tag Data Standard (GS1 element strings there, written here as Digital Links).
const PAIRS: [urn: string, digitalLink: string][] = [
  ['urn:epc:id:sgtin:0614141.812345.6789', 'https://id.gs1.org/01/80614141123458/21/6789'],
  ['urn:epc:id:sgtin:0614141.107346.2017', 'https://id.gs1.org/01/10614141073464/21/2017'],
  ['urn:epc:id:sgtin:415056789012.0.987654', 'https://id.gs1.org/01/04150567890128/21/987654'],
  ['urn:epc:id:sgtin:0614141.812345.6789%2F%26%25%22!%3F()', 'https://id.gs1.org/01/80614141123458/21/6789%2F%26%25%22%21%3F%28%29'],
  ['urn:epc:id:sgtin:0614141.812345.a.b:c;d=e', 'https://id.gs1.org/01/80614141123458/21/a.b%3Ac%3Bd%3De'],
  ["urn:epc:id:sgtin:0614141.812345.%3C%3E'*+,_-", "https://id.gs1.org/01/80614141123458/21/%3C%3E%27%2A%2B%2C_-"],
  ['urn:epc:id:sscc:0614141.1234567890', 'https://id.gs1.org/00/106141412345678908'],
  ['urn:epc:id:sgln:0614141.12345.400', 'https://id.gs1.org/414/0614141123452/254/400'],
  ['urn:epc:id:sgln:0614141.12345.0', 'https://id.gs1.org/414/0614141123452'],
  ['urn:epc:id:grai:0614141.12345.400', 'https://id.gs1.org/8003/00614141123452400'],
  ['urn:epc:id:giai:0614141.12345400', 'https://id.gs1.org/8004/061414112345400'],
  ['urn:epc:id:gsrn:0614141.1234567890', 'https://id.gs1.org/8018/061414112345678902'],
  ['urn:epc:id:gsrnp:0614141.1234567890', 'https://id.gs1.org/8017/061414112345678902'],
  ['urn:epc:id:gdti:0614141.12345.006847', 'https://id.gs1.org/253/0614141123452006847'],
  ['urn:epc:id:gdti:987659999999..9', 'https://id.gs1.org/253/98765999999929'],
  ['urn:epc:id:cpi:0614141.123ABC.123456789', 'https://id.gs1.org/8010/0614141123ABC/8011/123456789'],
  ['urn:epc:id:cpi:0614141.5PQ7%2FZ43.12345', 'https://id.gs1.org/8010/06141415PQ7%2FZ43/8011/12345'],
  ['urn:epc:id:cpi:0614141.11111111111111-A%23%2F.1234', 'https://id.gs1.org/8010/061414111111111111111-A%23%2F/8011/1234'],
  ['urn:epc:id:sgcn:4012345.67890.04711', 'https://id.gs1.org/255/401234567890104711'],
  ['urn:epc:id:ginc:0614141.xyz47%2F11', 'https://id.gs1.org/401/0614141xyz47%2F11'],
  ['urn:epc:id:gsin:0614141.123456789', 'https://id.gs1.org/402/06141411234567890'],
  ['urn:epc:id:itip:4012345.011111.01.02.987', 'https://id.gs1.org/8006/040123451111180102/21/987'],
  ["urn:epc:id:upui:1234567.098765.51qIgY)%3C%26Jp3*j7'SDB", 'https://id.gs1.org/01/01234567987651/235/51qIgY%29%3C%26Jp3%2Aj7%27SDB'],
  ['urn:epc:id:pgln:1234567.89012', 'https://id.gs1.org/417/1234567890128'],
  ['urn:epc:id:pgln:999999999999.', 'https://id.gs1.org/417/9999999999994'],
  ['urn:epc:class:lgtin:4012345.012345.998877', 'https://id.gs1.org/01/04012345123456/10/998877'],
  ['urn:epc:idpat:sgtin:4012345.012345.*', 'https://id.gs1.org/01/04012345123456'],
  ['urn:epc:idpat:grai:4012345.66666.*', 'https://id.gs1.org/8003/04012345666663'],
  ['urn:epc:idpat:gdti:4012345.55555.*', 'https://id.gs1.org/253/4012345555554'],
  ['urn:epc:idpat:sgcn:4012345.99999.*', 'https://id.gs1.org/255/4012345999990'],
  ['urn:epc:idpat:cpi:4012345.ABC.*', 'https://id.gs1.org/8010/4012345ABC'],
  ['urn:epc:idpat:itip:4012345.012345.01.02.*', 'https://id.gs1.org/8006/040123451234560102'],
];

const companyPrefixLength = (urn: string) => urn.slice(urn.indexOf(':', 8 + urn.slice(8).indexOf(':') + 1) + 1).split('.')[0]!.length;

t.test('URN -> Digital Link -> URN for every scheme', async (t) => {
  for (const [urn, digitalLink] of PAIRS) {
    t.equal(toDigitalLink(urn), digitalLink, `${urn} to DL`);
    t.equal(canonicalIdentifier(urn), digitalLink, `${urn} canonical`);
    t.equal(canonicalIdentifier(digitalLink), digitalLink, `${digitalLink} is already canonical`);
    t.equal(toDigitalLink(urn), digitalLink, `${urn} to DL again, as remembered with its canonical key`);
    t.equal(toDigitalLink(digitalLink), digitalLink, `${digitalLink} to DL, as remembered`);
    const length = companyPrefixLength(urn);
    t.equal(toEpcUrn(digitalLink, () => length), urn, `${digitalLink} back to URN with a ${length}-digit company prefix`);
    t.equal(toEpcUrn(urn), urn, `${urn} needs no company prefix lookup`);
  }
});

t.test('the company prefix lookup is called with the key from its company prefix on', async (t) => {
  const seen: string[] = [];
  const lookup = (digits: string) => {
    seen.push(digits);
    return 7;
  };
  toEpcUrn('https://id.gs1.org/01/80614141123458/21/6789', lookup);
  toEpcUrn('https://id.gs1.org/00/106141412345678908', lookup);
  toEpcUrn('https://id.gs1.org/8003/00614141123452400', lookup);
  toEpcUrn('https://id.gs1.org/414/0614141123452/254/400', lookup);
  toEpcUrn('https://id.gs1.org/8004/061414112345400', lookup);
  toEpcUrn('https://id.gs1.org/8006/040123451111180102/21/987', lookup);
  t.same(seen, ['0614141123458', '06141412345678908', '0614141123452', '0614141123452', '061414112345400', '4012345111118']);
});

t.test('Digital Link -> URN needs a known, fitting company prefix length', async (t) => {
  const dl = 'https://id.gs1.org/01/80614141123458/21/6789';
  t.equal(toEpcUrn(dl), undefined, 'no lookup');
  t.equal(toEpcUrn(dl, () => undefined), undefined, 'unknown prefix');
  t.equal(toEpcUrn(dl, () => 13), undefined, 'too long for a GTIN');
  t.equal(toEpcUrn(dl, () => 3), undefined, 'shorter than any GS1 Company Prefix');
  t.equal(toEpcUrn(dl, () => 12), 'urn:epc:id:sgtin:061414112345.8.6789');
  t.equal(toEpcUrn('https://id.gs1.org/8004/0614141', () => 7), undefined, 'GIAI needs an asset reference after the prefix');
  t.equal(toEpcUrn('https://id.gs1.org/8004/06141A1234', () => 7), undefined, 'prefix must be digits');
  t.equal(toEpcUrn('https://id.gs1.org/8013/5060917511473062B98T', () => 7), undefined, 'GMN has no EPC');
  t.equal(toEpcUrn('https://id.gs1.org/8018/061414112345678902/8019/12', () => 7), undefined, 'GSRN with SRIN has no EPC');
  t.equal(toEpcUrn('https://id.gs1.org/414/0614141123452/7040/1ABC', () => 7), undefined);
  t.equal(toEpcUrn('https://id.gs1.org/8006/040123451111180102/10/L1', () => 7), undefined, 'no EPC class for an ITIP lot');
  t.equal(toEpcUrn('https://example.com/x'), undefined);
  t.equal(toEpcUrn('urn:epc:id:gid:95100000.12345.400'), 'urn:epc:id:gid:95100000.12345.400');
});

t.test('URN forms are normalised', async (t) => {
  t.equal(canonicalIdentifier('URN:EPC:id:sgtin:0614141.812345.6789'), 'https://id.gs1.org/01/80614141123458/21/6789');
  t.equal(toEpcUrn('urn:epc:id:sgtin:0614141.812345.a%2fb'), 'urn:epc:id:sgtin:0614141.812345.a%2Fb', 'escapes in upper case');
  t.equal(canonicalIdentifier('urn:epc:id:sgtin:0614141.812345.a%2fb'), 'https://id.gs1.org/01/80614141123458/21/a%2Fb');
  t.equal(canonicalIdentifier('urn:epc:tag:sgtin-96:3.0614141.812345.6789'), 'https://id.gs1.org/01/80614141123458/21/6789', 'tag URI');
  t.equal(canonicalIdentifier('urn:epc:tag:sgtin-198:[att=x01][umi=1]3.0614141.812345.6789'), 'https://id.gs1.org/01/80614141123458/21/6789');
  t.equal(canonicalIdentifier('urn:epc:tag:sgln-195:3.0614141.12345.0'), 'https://id.gs1.org/414/0614141123452');
  t.equal(canonicalIdentifier('urn:epc:tag:gid-96:31415.271828.1414'), 'urn:epc:id:gid:31415.271828.1414');
  t.equal(canonicalIdentifier('urn:epc:idpat:upui:1234567.098765.*'), 'https://id.gs1.org/01/01234567987651', 'UPUI class = product class');
});

t.test('non-GS1 EPCs and other URIs are kept as they are', async (t) => {
  for (const uri of [
    'urn:epc:id:gid:95100000.12345.400',
    'urn:epc:id:usdod:2S194.12345678901',
    'urn:epc:id:adi:2S194.12345A1B2.1234',
    'urn:epc:id:bic:CSQU3054383',
    'urn:epc:id:imovn:9176187',
    'urn:epc:raw:96.x30340242201D8840009EFDFF',
    'urn:epcglobal:cbv:bt:0614141073467:1152',
    'urn:uuid:3e3c8a0e-4c4b-4f4b-9a4a-4c4b4f4b9a4a',
    'geo:42.698334,23.319941',
    'https://example.com/products/123',
    'https://ref.gs1.org/cbv/BizStep-receiving',
    'ftp://example.com/01/04150567890128/21/123',
    '/01/09506000134352/21/1',
    '',
  ]) {
    t.equal(canonicalIdentifier(uri), uri, uri);
    t.equal(validateIdentifier(uri), undefined, uri);
    t.equal(toDigitalLink(uri), undefined, uri);
    t.equal(toDigitalLink(uri), undefined, `${uri}, asked again`);
  }
  t.equal(identifierKind('urn:epc:id:gid:95100000.12345.400'), 'instance');
  t.equal(identifierKind('https://example.com/products/123'), 'other');
});

t.test('invalid EPC URNs throw IdentifierError naming the problem', async (t) => {
  const cases: [string, RegExp][] = [
    ['urn:epc:id:sgtin:0614141.81234.6789', /company prefix and indicator digit and item reference must together be 13 digits/i],
    ['urn:epc:id:sgtin:0614141.812345.', /serial number must not be empty/],
    ['urn:epc:id:sgtin:0614141.812345.ab/c', /"\/", which must be percent-escaped/],
    ['urn:epc:id:sgtin:0614141.812345.ab c', /" ", which must be percent-escaped or is not allowed/],
    ['urn:epc:id:sgtin:0614141.812345.%2', /invalid %-escape/],
    ['urn:epc:id:sgtin:0614141.812345.%7E', /outside the GS1 AI encodable character set 82/],
    ['urn:epc:id:sgtin:0614141.812345.123456789012345678901', /AI \(21\) SERIAL .*must be 1 to 20 characters long/],
    ['urn:epc:id:sgtin:061414A.812345.1', /GS1 Company Prefix "061414A" must be 4 to 12 digits/],
    ['urn:epc:id:sgtin:1234567890123..1', /GS1 Company Prefix .* must be 4 to 12 digits/],
    ['urn:epc:id:sgtin:0614141.812345', /sgtin EPC has 3 dot-separated components/],
    ['urn:epc:id:sscc:0614141.123456789', /must together be 17 digits/],
    ['urn:epc:id:sgln:0614141.1234.0', /must together be 12 digits/],
    ['urn:epc:id:grai:0614141.12345.12345678901234567', /AI \(8003\) GRAI .*must be 14 to 30 characters long/],
    ['urn:epc:id:giai:0614141.12345678901234567890123456', /AI \(8004\) GIAI .*must be 1 to 30 characters long/],
    ['urn:epc:id:cpi:0614141.123abc.1', /component\/part reference "123abc" contains "a"/],
    ['urn:epc:id:cpi:0614141.123ABC.0123', /serial number "0123" must be digits without leading zeros/],
    ['urn:epc:id:sgcn:4012345.67890.A1', /serial component "A1" must be one or more digits/],
    ['urn:epc:id:itip:4012345.012345.03.02.1', /AI \(8006\) ITIP .*not a valid piece number of a total/],
    ['urn:epc:id:itip:4012345.012345.1.02.1', /piece number "1" must be 2 digits/],
    ['urn:epc:id:xyz:1.2', /unknown EPC scheme "xyz"/],
    ['urn:epc:class:xgtin:4012345.012345.1', /unknown EPC class scheme "xgtin"/],
    ['urn:epc:foo:sgtin:0614141.812345.1', /unknown EPC URI type "urn:epc:foo:"/],
    ['urn:epc:idpat:sscc:0614141.*', /EPC pattern is not an identifier/],
    ['urn:epc:idpat:sgtin:0614141.*.*', /EPC pattern is not an identifier/],
    ['urn:epc:tag:sgtin-96:0614141.812345.6789', /sgtin EPC has 3 dot-separated components/], // filter value missing
    ['urn:epc:tag:xyz-96:1.2.3', /unknown EPC tag scheme "xyz-96"/],
    ['urn:epc:id', /expected urn:epc:<type>:<scheme>:<value>/],
  ];
  for (const [uri, expected] of cases) {
    t.throws(() => canonicalIdentifier(uri), IdentifierError, uri);
    t.match(validateIdentifier(uri), expected, uri);
    t.match(validateIdentifier(uri), uri.length > 0 ? /^Invalid EPC URI "/ : /./);
  }
});

t.test('identifier kinds and the class of a serialised instance', async (t) => {
  const kinds: [string, string][] = [
    ['urn:epc:id:sgtin:0614141.812345.6789', 'instance'],
    ['urn:epc:id:upui:1234567.098765.AB12', 'instance'],
    ['urn:epc:id:sscc:0614141.1234567890', 'instance'],
    ['urn:epc:id:grai:0614141.12345.400', 'instance'],
    ['urn:epc:id:giai:0614141.12345400', 'instance'],
    ['urn:epc:class:lgtin:4012345.012345.998877', 'class'],
    ['urn:epc:idpat:sgtin:4012345.012345.*', 'class'],
    ['urn:epc:idpat:grai:4012345.66666.*', 'class'],
    ['urn:epc:idpat:cpi:4012345.ABC.*', 'class'],
    ['https://id.gs1.org/8013/5060917511473062B98T', 'class'],
    ['urn:epc:id:sgln:0614141.12345.0', 'location'],
    ['urn:epc:id:sgln:0614141.12345.400', 'location'],
    ['https://id.gs1.org/414/0614141123452', 'location'],
    ['urn:epc:id:pgln:1234567.89012', 'party'],
    ['https://id.gs1.org/417/1234567890128', 'party'],
    ['https://id.gs1.org/415/1234567890128/8020/ABC', 'party'],
    ['https://example.com/x', 'other'],
    ['urn:epc:id:sgtin:bad', 'other'],
  ];
  for (const [uri, kind] of kinds) t.equal(identifierKind(uri), kind, uri);

  t.equal(lotOfSerial('urn:epc:id:sgtin:0614141.812345.6789'), 'https://id.gs1.org/01/80614141123458');
  t.equal(lotOfSerial('https://example.com/01/80614141123458/10/LOT/21/6789'), 'https://id.gs1.org/01/80614141123458');
  t.equal(lotOfSerial('urn:epc:id:upui:1234567.098765.AB12'), 'https://id.gs1.org/01/01234567987651');
  t.equal(lotOfSerial('urn:epc:id:itip:4012345.011111.01.02.987'), 'https://id.gs1.org/8006/040123451111180102');
  t.equal(lotOfSerial('urn:epc:id:grai:0614141.12345.400'), 'https://id.gs1.org/8003/00614141123452');
  t.equal(lotOfSerial('urn:epc:id:gdti:0614141.12345.006847'), 'https://id.gs1.org/253/0614141123452');
  t.equal(lotOfSerial('urn:epc:id:cpi:0614141.123ABC.123456789'), 'https://id.gs1.org/8010/0614141123ABC');
  t.equal(lotOfSerial('urn:epc:class:lgtin:4012345.012345.998877'), undefined);
  t.equal(lotOfSerial('urn:epc:id:sscc:0614141.1234567890'), undefined);
  t.equal(lotOfSerial('https://example.com/x'), undefined);
});
