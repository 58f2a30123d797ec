/**
 * Percent-encoding for the two URI forms.
 *
 * Digital Link: values are decoded from %XX (either hex case) and written back in one canonical
 * form, the one the GS1 Digital Link URI syntax requires: every character of CSET 82 other than
 * letters, digits, "-", "." and "_" is percent-encoded (! " % & ' ( ) * + , / : ; < = > ?), as is
 * anything outside CSET 82, which a valid AI value never has. In a value read from a Digital Link
 * those characters must arrive percent-encoded (firstRawOutsideGrammar); '"' is also taken as written,
 * as the grammar lists it unencoded. The CBV 2.0 event-hash normaliser writes ' ; = literally:
 * src/epcis/event-hash/names.ts turns the canonical form into that one for the hash pre-image.
 *
 * EPC URN (TDS "escaped" characters): " % & / < > ? are written %22 %25 %26 %2F %3C %3E %3F, and
 * in CPID references also # as %23.
 */

const HEX = '0123456789ABCDEF';
const DL_LITERAL = new Uint8Array(128);
for (const char of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~') {
  DL_LITERAL[char.charCodeAt(0)] = 1;
}

/** The CBV 2.0 event-hash normaliser's literals: the canonical ones and the sub-delims ' ; =. */
const HASH_LITERAL = DL_LITERAL.slice();
for (const char of "';=") HASH_LITERAL[char.charCodeAt(0)] = 1;

/** Characters a Digital Link value may hold unencoded: the canonical literals, '"' (listed so in the grammar) and '%' of an escape. */
const DL_RAW_ALLOWED = new Uint8Array(128);
for (const char of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"%') {
  DL_RAW_ALLOWED[char.charCodeAt(0)] = 1;
}

/** Index of the first character of a raw Digital Link value that the URI syntax requires percent-encoded, or -1. */
export function firstRawOutsideGrammar(raw: string): number {
  for (let i = 0; i < raw.length; i++) {
    const code = raw.charCodeAt(i);
    if (code >= 128 || DL_RAW_ALLOWED[code] !== 1) return i;
  }
  return -1;
}

const URN_ESCAPED = new Uint8Array(128);
for (const char of '"%&/<>?#') URN_ESCAPED[char.charCodeAt(0)] = 1;

function hexValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 65 && code <= 70) return code - 55;
  if (code >= 97 && code <= 102) return code - 87;
  return -1;
}

/** Decodes %XX escapes; undefined when a '%' does not start a valid escape. */
export function decodePercent(text: string): string | undefined {
  let percent = text.indexOf('%');
  if (percent < 0) return text;
  let out = '';
  let start = 0;
  while (percent >= 0) {
    const high = hexValue(text.charCodeAt(percent + 1));
    const low = hexValue(text.charCodeAt(percent + 2));
    if (high < 0 || low < 0) return undefined;
    out += text.slice(start, percent) + String.fromCharCode(high * 16 + low);
    start = percent + 3;
    percent = text.indexOf('%', start);
  }
  return out + text.slice(start);
}

function percentTriplet(code: number): string {
  return '%' + HEX[(code >> 4) & 15]! + HEX[code & 15]!;
}

/** Encodes an AI value for a canonical Digital Link path segment. */
export function encodeDigitalLinkValue(value: string): string {
  return encodeWith(value, DL_LITERAL);
}

/** Encodes an AI value as the CBV 2.0 event-hash normaliser writes it (' ; = literal). */
export function encodeHashDigitalLinkValue(value: string): string {
  return encodeWith(value, HASH_LITERAL);
}

function encodeWith(value: string, literal: Uint8Array): string {
  let out = '';
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 128 && literal[code] === 1) continue;
    out += value.slice(start, i) + (code < 128 ? percentTriplet(code) : encodeURIComponent(value[i]!));
    start = i + 1;
  }
  return start === 0 ? value : out + value.slice(start);
}

/** Writes a value as an EPC URN component with the TDS escapes. */
export function escapeEpcComponent(value: string): string {
  let out = '';
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code >= 128 || URN_ESCAPED[code] !== 1) continue;
    out += value.slice(start, i) + percentTriplet(code);
    start = i + 1;
  }
  return start === 0 ? value : out + value.slice(start);
}
