import t from 'tap';
import { IdentifierError, canonicalIdentifier, escapeLike, identifierPattern, type PatternLevel } from '../../src/identifiers/index.js';

/** SQL LIKE with ESCAPE '\', as a regular expression (for checking patterns without a database). */
function likeToRegExp(like: string): RegExp {
  let source = '';
  for (let i = 0; i < like.length; i++) {
    const char = like[i]!;
    if (char === '\\') source += like[++i]!.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    else if (char === '%') source += '.*';
    else if (char === '_') source += '.';
    else source += char.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 's');
}

const KEYS = [
  'urn:epc:id:sgtin:0614141.107346.2017',
  'urn:epc:id:sgtin:0614141.107346.2018',
  'urn:epc:id:sgtin:0614141.107346.a_b%25c',
  'urn:epc:id:sgtin:0614141.207346.1',
  'urn:epc:id:sgtin:0614142.107346.1',
  'urn:epc:id:upui:0614141.107346.TPX1',
  'urn:epc:class:lgtin:0614141.107346.LOT1',
  'urn:epc:idpat:sgtin:0614141.107346.*',
  'urn:epc:idpat:sgtin:0614142.107346.*',
  'urn:epc:id:sscc:0614141.1234567890',
  'urn:epc:id:sscc:0614142.1234567890',
  'urn:epc:id:sgln:0614141.12345.0',
  'urn:epc:id:sgln:0614141.12345.400',
  'urn:epc:id:sgln:0614141.12346.0',
  'urn:epc:id:grai:0614141.12345.400',
  'urn:epc:idpat:grai:0614141.12345.*',
  'urn:epc:id:giai:0614141.12345400',
  'urn:epc:id:giai:0614142.1',
  'urn:epc:id:gdti:0614141.12345.006847',
  'urn:epc:id:cpi:0614141.123ABC.1',
  'urn:epc:idpat:cpi:0614141.123ABC.*',
  'urn:epc:id:cpi:0614141.123ABCD.1',
  'urn:epc:id:itip:0614141.107346.01.02.1',
  'urn:epc:id:itip:0614141.107346.02.02.1',
  'urn:epc:id:pgln:0614141.12345',
  'urn:epc:id:gsrn:0614141.1234567890',
  'urn:epc:id:gid:95100000.12345.400',
  'urn:epc:id:gid:95100000.12346.400',
];
const canonicalKeys = new Map(KEYS.map((key) => [canonicalIdentifier(key), key]));

function matches(pattern: string, level?: PatternLevel): string[] {
  const result = identifierPattern(pattern, level);
  if ('exact' in result) return canonicalKeys.has(result.exact) ? [canonicalKeys.get(result.exact)!] : [];
  const regExp = likeToRegExp(result.like);
  return [...canonicalKeys].filter(([canonical]) => regExp.test(canonical)).map(([, key]) => key);
}

t.test('identifiers give their exact canonical key', async (t) => {
  t.same(identifierPattern('urn:epc:id:sgtin:0614141.107346.2017'), { exact: 'https://id.gs1.org/01/10614141073464/21/2017' });
  t.same(identifierPattern('https://example.com/01/10614141073464/21/2017'), { exact: 'https://id.gs1.org/01/10614141073464/21/2017' });
  t.same(identifierPattern('urn:epc:idpat:sgtin:0614141.107346.2017'), { exact: 'https://id.gs1.org/01/10614141073464/21/2017' }, 'a pattern without "*"');
  t.same(identifierPattern('https://example.com/thing'), { exact: 'https://example.com/thing' });
  t.throws(() => identifierPattern('https://id.gs1.org/01/10614141073467/21/2017'), IdentifierError);
});

t.test('SGTIN patterns: the indicator digit moves in front of the company prefix', async (t) => {
  t.same(identifierPattern('urn:epc:idpat:sgtin:0614141.107346.*'), { like: 'https://id.gs1.org/01/10614141073464%' });
  t.same(identifierPattern('urn:epc:idpat:sgtin:0614141.107346.*', 'instance'), { like: 'https://id.gs1.org/01/10614141073464/21/%' });
  t.same(identifierPattern('urn:epc:idpat:sgtin:0614141.*.*', 'instance'), { like: 'https://id.gs1.org/01/_0614141______/21/%' });
  t.same(matches('urn:epc:idpat:sgtin:0614141.107346.*', 'instance'), KEYS.slice(0, 3));
  t.same(matches('urn:epc:idpat:sgtin:0614141.107346.*'), [...KEYS.slice(0, 3), 'urn:epc:id:upui:0614141.107346.TPX1', 'urn:epc:class:lgtin:0614141.107346.LOT1', 'urn:epc:idpat:sgtin:0614141.107346.*']);
  t.same(matches('urn:epc:idpat:sgtin:0614141.107346.*', 'class'), ['urn:epc:id:sgtin:0614141.107346.2017', 'urn:epc:id:sgtin:0614141.107346.2018', 'urn:epc:id:sgtin:0614141.107346.a_b%25c', 'urn:epc:id:upui:0614141.107346.TPX1', 'urn:epc:class:lgtin:0614141.107346.LOT1', 'urn:epc:idpat:sgtin:0614141.107346.*']);
  t.same(matches('urn:epc:idpat:sgtin:0614141.*.*', 'instance'), KEYS.slice(0, 4));
  t.same(matches('urn:epc:idpat:sgtin:*.*.*', 'instance'), KEYS.slice(0, 5));
  t.same(matches('urn:epc:idpat:upui:0614141.*.*'), ['urn:epc:id:upui:0614141.107346.TPX1']);
  t.same(matches('urn:epc:idpat:itip:0614141.107346.01.*.*', 'instance'), ['urn:epc:id:itip:0614141.107346.01.02.1']);
  t.same(matches('urn:epc:idpat:itip:0614141.107346.*.*.*', 'instance'), ['urn:epc:id:itip:0614141.107346.01.02.1', 'urn:epc:id:itip:0614141.107346.02.02.1']);
});

t.test('patterns of the other schemes', async (t) => {
  t.same(matches('urn:epc:idpat:sscc:0614141.*'), ['urn:epc:id:sscc:0614141.1234567890']);
  t.same(matches('urn:epc:idpat:sscc:*.*'), ['urn:epc:id:sscc:0614141.1234567890', 'urn:epc:id:sscc:0614142.1234567890']);
  t.same(matches('urn:epc:idpat:sgln:0614141.12345.*'), ['urn:epc:id:sgln:0614141.12345.0', 'urn:epc:id:sgln:0614141.12345.400']);
  t.same(matches('urn:epc:idpat:sgln:0614141.*.*'), ['urn:epc:id:sgln:0614141.12345.0', 'urn:epc:id:sgln:0614141.12345.400', 'urn:epc:id:sgln:0614141.12346.0']);
  t.same(matches('urn:epc:idpat:grai:0614141.12345.*', 'instance'), ['urn:epc:id:grai:0614141.12345.400']);
  t.same(matches('urn:epc:idpat:grai:0614141.12345.*'), ['urn:epc:id:grai:0614141.12345.400', 'urn:epc:idpat:grai:0614141.12345.*']);
  t.same(matches('urn:epc:idpat:grai:0614141.*.*', 'instance'), ['urn:epc:id:grai:0614141.12345.400']);
  t.same(matches('urn:epc:idpat:giai:0614141.*'), ['urn:epc:id:giai:0614141.12345400']);
  t.same(matches('urn:epc:idpat:gdti:*.*.*'), ['urn:epc:id:gdti:0614141.12345.006847']);
  t.same(matches('urn:epc:idpat:cpi:0614141.123ABC.*'), ['urn:epc:id:cpi:0614141.123ABC.1']);
  t.same(matches('urn:epc:idpat:cpi:0614141.123ABC.*', 'class'), ['urn:epc:idpat:cpi:0614141.123ABC.*']);
  t.same(matches('urn:epc:idpat:pgln:0614141.*'), ['urn:epc:id:pgln:0614141.12345']);
  t.same(matches('urn:epc:idpat:gsrn:0614141.*'), ['urn:epc:id:gsrn:0614141.1234567890']);
  t.same(matches('urn:epc:idpat:gid:95100000.12345.*'), ['urn:epc:id:gid:95100000.12345.400']);
  t.same(matches('urn:epc:idpat:gid:95100000.*.*'), ['urn:epc:id:gid:95100000.12345.400', 'urn:epc:id:gid:95100000.12346.400']);
  t.same(matches('urn:epc:pat:sgtin-96:3.0614141.107346.*', 'instance'), KEYS.slice(0, 3), 'tag pattern URI');
});

t.test('LIKE escaping of literal parts', async (t) => {
  t.equal(escapeLike('a_b%c\\d'), 'a\\_b\\%c\\\\d');
  t.same(identifierPattern('urn:epc:idpat:cpi:0614141.A%2FB.*'), { like: 'https://id.gs1.org/8010/0614141A\\%2FB/8011/%' });
});

t.test('invalid patterns', async (t) => {
  for (const [pattern, reason] of [
    ['urn:epc:idpat:sgtin:0614141.*.2017', /every component after a "\*" must be "\*"/],
    ['urn:epc:idpat:sgtin:061414A.*.*', /GS1 Company Prefix "061414A"/],
    ['urn:epc:idpat:sgtin:0614141.10734.*', /must together be 13 digits/],
    ['urn:epc:idpat:sgtin:0614141.*', /3 dot-separated components/],
    ['urn:epc:idpat:bogus:1.*', /unknown EPC scheme "bogus"/],
    ['urn:epc:idpat:bic:*', /no pattern syntax for bic/],
  ] as const) {
    t.throws(() => identifierPattern(pattern), { name: 'IdentifierError', message: reason }, pattern);
  }
});
