import fc from 'fast-check';
import t from 'tap';
import { canonicalIdentifier, companyPrefixOf, eventHashIdentifier, identifierKey } from '../../src/identifiers/index.js';

/*
 * canonicalIdentifier, eventHashIdentifier and identifierKey share one cache entry per identifier, filled from one
 * parse: whichever is asked first, each gives what it gives alone. The event hash writes ' ; = literally where the
 * canonical Digital Link percent-encodes them; the company prefix is the one the EPC URN separates.
 */

const digits = (min: number, max: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });
const serial = fc.string({ unit: fc.constantFrom(...`ABCxyz019-._!'()*+,:;=`, '%22', '%2F', '%25'), minLength: 1, maxLength: 12 });
const companyPrefix = fc.integer({ min: 6, max: 11 }).chain((length) => digits(length, length));
const hashSpelling = (canonical: string) => canonical.replace(/%27/g, "'").replace(/%3B/g, ';').replace(/%3D/g, '=');

t.test('each form is the same whichever is asked first', async () => {
  fc.assert(
    fc.property(companyPrefix, digits(12, 12), serial, fc.constantFrom('sgtin', 'sgln', 'giai'), fc.integer({ min: 0, max: 2 }), (cp, rest, value, scheme, first) => {
      const urn =
        scheme === 'sgtin' ? `urn:epc:id:sgtin:${cp}.${rest.slice(0, 13 - cp.length)}.${value}`
        : scheme === 'sgln' ? `urn:epc:id:sgln:${cp}.${rest.slice(0, 12 - cp.length)}.${value}`
        : `urn:epc:id:giai:${cp}.${value}`;
      const hash = first === 0 ? eventHashIdentifier(urn) : undefined;
      const key = identifierKey(urn);
      const canonical = first === 2 ? canonicalIdentifier(urn) : key.canonical;
      return (
        canonical === key.canonical &&
        (hash ?? eventHashIdentifier(urn)) === hashSpelling(key.canonical) &&
        key.companyPrefix === cp &&
        companyPrefixOf(urn) === cp
      );
    }),
    { numRuns: 3000 },
  );
});

t.test('a Digital Link and a non-GS1 EPC have no company prefix; an invalid EPC throws each time', async (t) => {
  const link = identifierKey('https://example.com/01/09506000134352/21/ABC');
  t.equal(link.canonical, 'https://id.gs1.org/01/09506000134352/21/ABC');
  t.equal(link.companyPrefix, undefined);
  t.equal(identifierKey('urn:epc:id:gid:95100000.12345.400').companyPrefix, undefined);
  t.equal(identifierKey('urn:epc:id:sgtin:0614141.107346.2017').companyPrefix, '0614141');
  t.throws(() => identifierKey('urn:epc:id:sgtin:0614141.107346.'));
  t.throws(() => identifierKey('urn:epc:id:sgtin:0614141.107346.'), 'not remembered as valid');
  t.throws(() => eventHashIdentifier('urn:epc:id:sgtin:0614141.107346.'));
});
