/**
 * GS1 character sets as lookup tables over ASCII codes, built once at module load.
 * CSET 82 is the "GS1 AI encodable character set 82", CSET 39 the one used by CPID, CSET 64 is
 * the URI/file-safe base64 alphabet used by AI (8030).
 */
const CSET82 = `!"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz`;
const CSET39 = '#-/0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const CSET64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

export const IN_CSET82 = 1;
export const IN_CSET39 = 2;
export const IN_CSET64 = 4;
export const IS_DIGIT = 8;

export const CHARACTER_CLASSES = new Uint8Array(128);
for (const char of CSET82) CHARACTER_CLASSES[char.charCodeAt(0)]! |= IN_CSET82;
for (const char of CSET39) CHARACTER_CLASSES[char.charCodeAt(0)]! |= IN_CSET39;
for (const char of CSET64) CHARACTER_CLASSES[char.charCodeAt(0)]! |= IN_CSET64;
for (let code = 48; code <= 57; code++) CHARACTER_CLASSES[code]! |= IS_DIGIT;

export function charHasClass(code: number, mask: number): boolean {
  return code < 128 && (CHARACTER_CLASSES[code]! & mask) !== 0;
}

export function isAllDigits(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 48 || code > 57) return false;
  }
  return true;
}

/** Index of the first character outside the given class, or -1. */
export function firstCharOutside(text: string, mask: number): number {
  for (let i = 0; i < text.length; i++) {
    if (!charHasClass(text.charCodeAt(i), mask)) return i;
  }
  return -1;
}
