import { IN_CSET82, charHasClass, isAllDigits } from './character-sets.js';
import { gs1CheckDigit } from './check-digits.js';
import { decodePercent } from './percent-encoding.js';

/**
 * Readers for the components of EPC URN bodies (TDS 2.x section 6 grammar). Each returns the
 * decoded component or throws a ComponentError with the reason; callers add the URN.
 */
export class ComponentError extends Error {}

export const MIN_COMPANY_PREFIX_LENGTH = 4;
export const MAX_COMPANY_PREFIX_LENGTH = 12;

// GS3A3Char: letters, digits and ! ' ( ) * + , - . : ; = _ written as themselves, the rest of
// CSET 82 escaped as %XX.
const GS3A3_LITERAL = new Uint8Array(128);
for (const char of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!'()*+,-.:;=_") {
  GS3A3_LITERAL[char.charCodeAt(0)] = 1;
}
// CPRefChar: upper-case letters, digits and -, with # and / escaped.
const CPREF_LITERAL = new Uint8Array(128);
const CSET39_STRING = /^[0-9A-Z#\-/]+$/;
for (const char of 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-') CPREF_LITERAL[char.charCodeAt(0)] = 1;

export function companyPrefix(text: string): string {
  if (!isAllDigits(text) || text.length < MIN_COMPANY_PREFIX_LENGTH || text.length > MAX_COMPANY_PREFIX_LENGTH) {
    throw new ComponentError(
      `the GS1 Company Prefix "${text}" must be ${MIN_COMPANY_PREFIX_LENGTH} to ${MAX_COMPANY_PREFIX_LENGTH} digits`,
    );
  }
  return text;
}

/** A padded numeric reference that must make the company prefix up to `total` digits. */
export function reference(companyPrefixText: string, text: string, total: number, what: string, allowEmpty: boolean): string {
  if ((text !== '' || !allowEmpty) && !isAllDigits(text)) throw new ComponentError(`the ${what} "${text}" must be digits`);
  if (companyPrefixText.length + text.length !== total) {
    throw new ComponentError(`the GS1 Company Prefix and ${what} must together be ${total} digits`);
  }
  if (text === '' && !allowEmpty) throw new ComponentError(`the ${what} must not be empty`);
  return text;
}

function escapedComponent(text: string, literal: Uint8Array, what: string): string {
  if (text === '') throw new ComponentError(`the ${what} must not be empty`);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 37 /* % */) {
      i += 2;
      continue;
    }
    if (code >= 128 || literal[code] !== 1) {
      throw new ComponentError(`the ${what} "${text}" contains "${text[i]}", which must be percent-escaped or is not allowed`);
    }
  }
  const decoded = decodePercent(text);
  if (decoded === undefined) throw new ComponentError(`the ${what} "${text}" has an invalid %-escape`);
  return decoded;
}

/** GS3A3Component: any CSET 82 string, with the TDS escapes. */
export function gs3a3(text: string, what: string): string {
  const decoded = escapedComponent(text, GS3A3_LITERAL, what);
  for (let i = 0; i < decoded.length; i++) {
    if (!charHasClass(decoded.charCodeAt(i), IN_CSET82)) {
      throw new ComponentError(`the ${what} "${text}" escapes a character outside the GS1 AI encodable character set 82`);
    }
  }
  return decoded;
}

/** CPRefComponent of a CPI: CSET 39 (digits, upper case, # - /). */
export function cpRef(text: string): string {
  const decoded = escapedComponent(text, CPREF_LITERAL, 'component/part reference');
  if (!CSET39_STRING.test(decoded)) {
    throw new ComponentError(`the component/part reference "${text}" escapes a character outside GS1 character set 39`);
  }
  return decoded;
}

/** NumericComponent: digits without leading zeros ("0" itself allowed). */
export function numeric(text: string, what: string): string {
  if (!isAllDigits(text) || (text.length > 1 && text.startsWith('0'))) {
    throw new ComponentError(`the ${what} "${text}" must be digits without leading zeros`);
  }
  return text;
}

/** PaddedNumericComponent of a given length, or of any non-zero length. */
export function paddedNumeric(text: string, what: string, length?: number): string {
  if (!isAllDigits(text) || (length !== undefined && text.length !== length)) {
    throw new ComponentError(`the ${what} "${text}" must be ${length ?? 'one or more'} digits`);
  }
  return text;
}

/** Indicator/extension digit moved in front of the company prefix, plus check digit (GTIN, SSCC). */
export function keyWithLeadingDigit(companyPrefixText: string, referenceWithLeadingDigit: string): string {
  const body = referenceWithLeadingDigit.slice(0, 1) + companyPrefixText + referenceWithLeadingDigit.slice(1);
  return body + String(gs1CheckDigit(body));
}

/** Company prefix and reference followed by the check digit (GLN, GSRN, GSIN, GDTI, GCN, GRAI). */
export function keyWithCheckDigit(companyPrefixText: string, referenceText: string): string {
  const body = companyPrefixText + referenceText;
  return body + String(gs1CheckDigit(body));
}

/**
 * Splits an EPC URN body into `count` dot-separated components; the last one takes the rest,
 * since TDS allows "." inside a final GS3A3 component.
 */
export function splitComponents(body: string, count: number): string[] | undefined {
  const parts: string[] = [];
  let start = 0;
  for (let i = 1; i < count; i++) {
    const dot = body.indexOf('.', start);
    if (dot < 0) return undefined;
    parts.push(body.slice(start, dot));
    start = dot + 1;
  }
  parts.push(body.slice(start));
  return parts;
}
