import fc from 'fast-check';
import t from 'tap';
import {
  IdentifierError,
  canonicalIdentifier,
  identifierKind,
  identifierPattern,
  parseDigitalLink,
  toDigitalLink,
  toEpcUrn,
  validateIdentifier,
} from '../../src/identifiers/index.js';
import { gs1CheckDigit } from '../../src/identifiers/check-digits.js';

const CSET82 = `!"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz`;
const URN_ESCAPES: Record<string, string> = { '"': '%22', '%': '%25', '&': '%26', '/': '%2F', '<': '%3C', '>': '%3E', '?': '%3F' };

const digits = (min: number, max: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });
const serial = fc.string({ unit: fc.constantFrom(...CSET82), minLength: 1, maxLength: 20 });
const companyPrefix = fc.integer({ min: 4, max: 12 }).chain((length) => digits(length, length));
const toUrnComponent = (value: string) => [...value].map((char) => URN_ESCAPES[char] ?? char).join('');

t.test('random SGTINs round-trip URN -> DL -> URN', async () => {
  fc.assert(
    fc.property(companyPrefix, fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 13, maxLength: 13 }), serial, (cp, itemDigits, value) => {
      const itemReference = itemDigits.slice(0, 13 - cp.length);
      const urn = `urn:epc:id:sgtin:${cp}.${itemReference}.${toUrnComponent(value)}`;
      const link = toDigitalLink(urn)!;
      const gtin13 = itemReference[0] + cp + itemReference.slice(1);
      if (!link.startsWith(`https://id.gs1.org/01/${gtin13}${gs1CheckDigit(gtin13)}/21/`)) return false;
      return toEpcUrn(link, () => cp.length) === urn && canonicalIdentifier(link) === link && parseDigitalLink(link)!.qualifiers[0]!.value === value;
    }),
    { numRuns: 2000 },
  );
});

t.test('random GTINs with a wrong check digit are rejected in both forms', async () => {
  fc.assert(
    fc.property(digits(13, 13), fc.integer({ min: 1, max: 9 }), serial, (body, offset, value) => {
      const wrong = (gs1CheckDigit(body) + offset) % 10;
      const message = validateIdentifier(`https://example.com/01/${body}${wrong}/21/${encodeURIComponent(value)}`);
      return message !== undefined && message.includes('(01) GTIN') && message.includes('check digit');
    }),
    { numRuns: 500 },
  );
});

t.test('random SSCCs, GLNs and GIAIs round-trip', async () => {
  fc.assert(
    fc.property(companyPrefix, digits(17, 17), serial, (cp, rest, value) => {
      const sscc = `urn:epc:id:sscc:${cp}.${rest.slice(0, 17 - cp.length)}`;
      const sgln = `urn:epc:id:sgln:${cp}.${rest.slice(0, 12 - cp.length)}.${toUrnComponent(value)}`;
      const giai = `urn:epc:id:giai:${cp}.${toUrnComponent(value)}`;
      return [sscc, sgln, giai].every((urn) => toEpcUrn(toDigitalLink(urn)!, () => cp.length) === urn);
    }),
    { numRuns: 1000 },
  );
});

const onlyIdentifierErrors = (run: () => unknown) => {
  try {
    run();
    return true;
  } catch (error) {
    return error instanceof IdentifierError;
  }
};

const prefixes = fc.constantFrom(
  '',
  'urn:epc:',
  'urn:epc:id:sgtin:',
  'urn:epc:id:sgtin:0614141.',
  'urn:epc:idpat:sgtin:',
  'urn:epc:class:lgtin:',
  'urn:epc:tag:sgtin-96:',
  'urn:epc:pat:',
  'https://id.gs1.org/',
  'https://id.gs1.org/01/',
  'https://example.com/01/09506000134352/',
  'http://x/414/',
  'https://id.gs1.org/01/09506000134352?',
);
const anyText = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.string({ unit: fc.constantFrom(...'0123456789./%*?=&#:_-AZaz') }));

t.test('random strings never throw anything but IdentifierError', async () => {
  fc.assert(
    fc.property(prefixes, anyText, (prefix, rest) => {
      const value = prefix + rest;
      return (
        onlyIdentifierErrors(() => canonicalIdentifier(value)) &&
        onlyIdentifierErrors(() => toEpcUrn(value, () => 7)) &&
        onlyIdentifierErrors(() => identifierPattern(value)) &&
        onlyIdentifierErrors(() => parseDigitalLink(value, { lenient: true })) &&
        typeof identifierKind(value) === 'string' &&
        (validateIdentifier(value) === undefined || typeof validateIdentifier(value) === 'string')
      );
    }),
    { numRuns: 5000 },
  );
});

t.test('canonical keys are fixed points', async () => {
  fc.assert(
    fc.property(prefixes, anyText, (prefix, rest) => {
      let canonical: string;
      try {
        canonical = canonicalIdentifier(prefix + rest);
      } catch {
        return true;
      }
      return canonicalIdentifier(canonical) === canonical;
    }),
    { numRuns: 3000 },
  );
});

t.test('serialised SGTINs translated through their class agree with the full parse, valid or not', async () => {
  const { toDigitalLinkUncached } = await import('../../src/identifiers/canonical-identifier.js');
  const full = (uri: string) => {
    try {
      return toDigitalLinkUncached(uri);
    } catch (error) {
      return error instanceof IdentifierError ? 'IdentifierError' : 'other error';
    }
  };
  const translated = (uri: string) => {
    try {
      return toDigitalLink(uri);
    } catch (error) {
      return error instanceof IdentifierError ? 'IdentifierError' : 'other error';
    }
  };
  const ALNUM = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  // Mostly letters and digits, of every length around AI 21's 20; sometimes any character, escapes included.
  const ofLength = (unit: fc.Arbitrary<string>) => fc.integer({ min: 0, max: 24 }).chain((length) => fc.string({ unit, minLength: length, maxLength: length }));
  const plainOrNot = fc.oneof(ofLength(fc.constantFrom(...ALNUM)), ofLength(fc.constantFrom(...ALNUM, ...CSET82, '%2F', '%25', 'é')));
  // Valid and invalid classes: prefix and item reference of any length, a few of each so classes repeat.
  const itemClass = fc.tuple(fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 13 })).chain(([a, b]) => fc.tuple(digits(a, a), digits(b, b))).map(([cp, item]) => `urn:epc:id:sgtin:${cp}.${item}.`);
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.constantFrom('urn:epc:id:sgtin:8934567.012345.', 'urn:epc:id:sgtin:893123456.0123.'), plainOrNot)), fc.array(fc.tuple(itemClass, plainOrNot)), (known, random) => {
      for (const [cls, value] of [...known, ...random]) {
        const uri = cls + value;
        if (translated(uri) !== full(uri)) return false;
        // Asked again (the class is now known).
        if (translated(uri) !== full(uri)) return false;
      }
      return true;
    }),
    { numRuns: 300 },
  );
});
