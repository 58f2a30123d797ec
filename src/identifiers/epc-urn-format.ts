import { isAllDigits } from './character-sets.js';
import { MAX_COMPANY_PREFIX_LENGTH, MIN_COMPANY_PREFIX_LENGTH } from './epc-components.js';
import { qualifierValue, type Gs1Key } from './gs1-key.js';
import { escapeEpcComponent } from './percent-encoding.js';

/**
 * The key's characters from the first digit of the GS1 Company Prefix on: GTIN, SSCC and ITIP
 * without their indicator/extension digit, GRAI without its leading zero, keys with a serial
 * component without it. This is what a GS1 Company Prefix length table is looked up with.
 */
export function companyPrefixSearchText(key: Gs1Key): string | undefined {
  const { ai, value } = key.primary;
  switch (ai) {
    case '01':
    case '00':
      return value.slice(1);
    case '8006':
    case '8003':
      return value.slice(1, 14);
    case '414':
    case '417':
    case '253':
    case '255':
      return value.slice(0, 13);
    case '8017':
    case '8018':
    case '402':
    case '401':
    case '8004':
    case '8010':
      return value;
    default:
      return undefined;
  }
}

/** Splits a numeric key into company prefix and the digits that follow, up to `end`. */
function split(value: string, start: number, cpLength: number, end: number): [string, string] | undefined {
  if (start + cpLength > end) return undefined;
  return [value.slice(start, start + cpLength), value.slice(start + cpLength, end)];
}

/**
 * Writes a (reduced) key as its EPC URN, given the length of its GS1 Company Prefix; undefined
 * when the key has no EPC form or the length does not fit the key.
 */
export function formatEpcUrn(key: Gs1Key, cpLength: number): string | undefined {
  if (!Number.isInteger(cpLength) || cpLength < MIN_COMPANY_PREFIX_LENGTH || cpLength > MAX_COMPANY_PREFIX_LENGTH) return undefined;
  const { ai, value } = key.primary;
  const qualifiers = key.qualifiers;
  const only = (...allowed: string[]) => qualifiers.every((element) => allowed.includes(element.ai));
  const q = (qualifierAi: string) => qualifierValue(key, qualifierAi);

  switch (ai) {
    case '01':
    case '8006': {
      const parts = split(value, 1, cpLength, 13);
      if (!parts || cpLength > 12) return undefined;
      const [cp, rest] = parts;
      const itemReference = value[0] + rest;
      if (ai === '8006') {
        const pieceTotal = `${value.slice(14, 16)}.${value.slice(16, 18)}`;
        if (!only('21')) return undefined;
        const serial = q('21');
        return serial === undefined
          ? `urn:epc:idpat:itip:${cp}.${itemReference}.${pieceTotal}.*`
          : `urn:epc:id:itip:${cp}.${itemReference}.${pieceTotal}.${escapeEpcComponent(serial)}`;
      }
      if (qualifiers.length === 0) return `urn:epc:idpat:sgtin:${cp}.${itemReference}.*`;
      if (qualifiers.length > 1) return undefined;
      const [{ ai: qualifierAi, value: qualifier }] = qualifiers as [{ ai: string; value: string }];
      const scheme = qualifierAi === '21' ? 'id:sgtin' : qualifierAi === '235' ? 'id:upui' : qualifierAi === '10' ? 'class:lgtin' : undefined;
      return scheme && `urn:epc:${scheme}:${cp}.${itemReference}.${escapeEpcComponent(qualifier)}`;
    }
    case '00': {
      const parts = split(value, 1, cpLength, 17);
      return parts && qualifiers.length === 0 ? `urn:epc:id:sscc:${parts[0]}.${value[0]}${parts[1]}` : undefined;
    }
    case '414': {
      const parts = split(value, 0, cpLength, 12);
      if (!parts || !only('254')) return undefined;
      return `urn:epc:id:sgln:${parts[0]}.${parts[1]}.${escapeEpcComponent(q('254') ?? '0')}`;
    }
    case '417':
    case '8017':
    case '8018':
    case '402': {
      const end = ai === '417' ? 12 : ai === '402' ? 16 : 17;
      const parts = split(value, 0, cpLength, end);
      const scheme = ai === '417' ? 'pgln' : ai === '402' ? 'gsin' : ai === '8017' ? 'gsrnp' : 'gsrn';
      return parts && qualifiers.length === 0 ? `urn:epc:id:${scheme}:${parts[0]}.${parts[1]}` : undefined;
    }
    case '8003':
    case '253':
    case '255': {
      const start = ai === '8003' ? 1 : 0;
      const parts = split(value, start, cpLength, start + 12);
      if (!parts || qualifiers.length > 0) return undefined;
      const scheme = ai === '8003' ? 'grai' : ai === '253' ? 'gdti' : 'sgcn';
      const serial = value.slice(start + 13);
      return serial === ''
        ? `urn:epc:idpat:${scheme}:${parts[0]}.${parts[1]}.*`
        : `urn:epc:id:${scheme}:${parts[0]}.${parts[1]}.${escapeEpcComponent(serial)}`;
    }
    case '8004':
    case '401':
    case '8010': {
      const cp = value.slice(0, cpLength);
      if (value.length <= cpLength || !isAllDigits(cp)) return undefined;
      const reference = escapeEpcComponent(value.slice(cpLength));
      if (ai === '8010') {
        if (!only('8011')) return undefined;
        const serial = q('8011');
        return serial === undefined ? `urn:epc:idpat:cpi:${cp}.${reference}.*` : `urn:epc:id:cpi:${cp}.${reference}.${serial}`;
      }
      return qualifiers.length === 0 ? `urn:epc:id:${ai === '8004' ? 'giai' : 'ginc'}:${cp}.${reference}` : undefined;
    }
    default:
      return undefined;
  }
}
