import { csumAlphaPair, gs1CheckDigit } from './check-digits.js';
import { isAllDigits } from './character-sets.js';

/**
 * Content checks named by the GS1 Barcode Syntax Dictionary ("linters"). Each returns undefined
 * when the component is fine, otherwise the reason it is not. The character set and length of the
 * component are checked before a linter runs. Linters that need external code lists (ISO 3166,
 * ISO 4217, coupon and package codes, ...) are not implemented and accept any value: they never
 * concern the GS1 keys this module converts.
 */
export type Linter = (data: string) => string | undefined;

const MIN_COMPANY_PREFIX_LENGTH = 4;
const HEX_PAIR = /^[0-9A-Fa-f]{2}$/;
const ALL_ZEROS = /^0+$/;
const IBAN_SYNTAX = /^[A-Z]{2}[0-9]{2}[A-Z0-9]{1,30}$/;
const IMPORTER_INDEX = /^[0-9A-Za-z_-]$/;

const csum: Linter = (data) => {
  const expected = gs1CheckDigit(data.slice(0, -1));
  return data.charCodeAt(data.length - 1) - 48 === expected
    ? undefined
    : `has an incorrect check digit (expected ${expected})`;
};

const csumalpha: Linter = (data) => {
  if (data.length < 2) return 'is too short to carry a check character pair';
  const expected = csumAlphaPair(data.slice(0, -2));
  if (expected === undefined) return 'contains characters outside CSET 82';
  return data.endsWith(expected) ? undefined : `has an incorrect check character pair (expected ${expected})`;
};

function companyPrefixAt(offset: number): Linter {
  return (data) => {
    const prefix = data.slice(offset, offset + MIN_COMPANY_PREFIX_LENGTH);
    return prefix.length === MIN_COMPANY_PREFIX_LENGTH && isAllDigits(prefix)
      ? undefined
      : `does not start with a GS1 Company Prefix (${MIN_COMPANY_PREFIX_LENGTH} digits${offset ? ` after position ${offset}` : ''})`;
  };
}

function twoDigits(data: string, at: number): number {
  return (data.charCodeAt(at) - 48) * 10 + (data.charCodeAt(at + 1) - 48);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

// Two-digit years: GS1 General Specifications 7.12 resolves them within a sliding window; for the
// leap-year test only whether the year is divisible by four matters, and 2000 is a leap year.
function dateLinter(yearDigits: 2 | 4, allowZeroDay: boolean): Linter {
  return (data) => {
    const year = yearDigits === 4 ? twoDigits(data, 0) * 100 + twoDigits(data, 2) : 2000 + twoDigits(data, 0);
    const month = twoDigits(data, yearDigits);
    const day = twoDigits(data, yearDigits + 2);
    if (month < 1 || month > 12) return 'is not a valid date (month)';
    if ((day === 0 && !allowZeroDay) || day > daysInMonth(year, month)) return 'is not a valid date (day)';
    return undefined;
  };
}

function numberAtMost(max: number, what: string): Linter {
  return (data) => (Number(data) <= max ? undefined : `is not a valid ${what}`);
}

const hhmi: Linter = (data) =>
  twoDigits(data, 0) <= 23 && twoDigits(data, 2) <= 59 ? undefined : 'is not a valid time';

const pieceoftotal: Linter = (data) => {
  const piece = twoDigits(data, 0);
  const total = twoDigits(data, 2);
  return piece >= 1 && total >= 1 && piece <= total ? undefined : 'is not a valid piece number of a total';
};

const pcenc: Linter = (data) => {
  for (let i = data.indexOf('%'); i >= 0; i = data.indexOf('%', i + 1)) {
    if (!HEX_PAIR.test(data.slice(i + 1, i + 3))) return 'contains an invalid percent-encoded sequence';
  }
  return undefined;
};

const posinseqslash: Linter = (data) => {
  const slash = data.indexOf('/');
  const position = data.slice(0, slash);
  const total = data.slice(slash + 1);
  return slash > 0 && isAllDigits(position) && isAllDigits(total) && Number(position) >= 1 && Number(position) <= Number(total)
    ? undefined
    : 'is not a valid position in sequence';
};

const iban: Linter = (data) => {
  if (!IBAN_SYNTAX.test(data)) return 'is not a valid IBAN';
  const rearranged = data.slice(4) + data.slice(0, 4);
  let remainder = 0;
  for (const char of rearranged) {
    const value = char >= 'A' ? char.charCodeAt(0) - 55 : char.charCodeAt(0) - 48;
    remainder = value >= 10 ? (remainder * 100 + value) % 97 : (remainder * 10 + value) % 97;
  }
  return remainder === 1 ? undefined : 'is not a valid IBAN (checksum)';
};

export const LINTERS: Readonly<Record<string, Linter>> = {
  csum,
  csumalpha,
  gcppos1: companyPrefixAt(0),
  gcppos2: companyPrefixAt(1),
  zero: (data) => (data === '0' ? undefined : 'must be 0'),
  nonzero: (data) => (ALL_ZEROS.test(data) ? 'must not be zero' : undefined),
  nozeroprefix: (data) => (data.length > 1 && data.startsWith('0') ? 'must not start with 0' : undefined),
  hasnondigit: (data) => (isAllDigits(data) ? 'must contain a non-digit character' : undefined),
  pieceoftotal,
  yymmd0: dateLinter(2, true),
  yymmdd: dateLinter(2, false),
  yyyymmdd: dateLinter(4, false),
  hh: numberAtMost(23, 'hour'),
  mi: numberAtMost(59, 'minute'),
  ss: numberAtMost(59, 'second'),
  hhmi,
  yesno: (data) => (data === '0' || data === '1' ? undefined : 'must be 0 or 1'),
  hyphen: (data) => (data === '-' ? undefined : 'must be "-"'),
  winding: (data) => (data === '0' || data === '1' || data === '9' ? undefined : 'is not a valid winding direction'),
  iso5218: (data) => ('0129'.includes(data) ? undefined : 'is not a valid ISO/IEC 5218 code'),
  latitude: numberAtMost(1_800_000_000, 'latitude'),
  longitude: numberAtMost(3_600_000_000, 'longitude'),
  importeridx: (data) => (IMPORTER_INDEX.test(data) ? undefined : 'is not a valid importer index'),
  pcenc,
  posinseqslash,
  iban,
};
