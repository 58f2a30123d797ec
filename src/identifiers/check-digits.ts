/** GS1 mod-10 check digit of a string of digits (the data without its check digit). */
export function gs1CheckDigit(digits: string): number {
  let sum = 0;
  let triple = true;
  for (let i = digits.length - 1; i >= 0; i--) {
    const digit = digits.charCodeAt(i) - 48;
    sum += triple ? digit * 3 : digit;
    triple = !triple;
  }
  return (10 - (sum % 10)) % 10;
}

/** True when the last digit of `digits` is the GS1 check digit of the others. */
export function hasValidGs1CheckDigit(digits: string): boolean {
  if (digits.length < 2) return false;
  return gs1CheckDigit(digits.slice(0, -1)) === digits.charCodeAt(digits.length - 1) - 48;
}

/** Appends the GS1 check digit. */
export function withGs1CheckDigit(digits: string): string {
  return digits + String(gs1CheckDigit(digits));
}

// Alphanumeric check character pair (GS1 General Specifications, "Check character calculation
// for alphanumeric keys"), used by GMN (8013) and MUDI (8014): the CSET 82 positions of the data
// characters, weighted right to left by successive primes, summed modulo 1021; the 10-bit result
// is written as two CSET 32 characters.
const CSET82_ORDER = `!"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz`;
const CSET32_ORDER = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
const CSET82_POSITION = new Int8Array(128).fill(-1);
for (let i = 0; i < CSET82_ORDER.length; i++) CSET82_POSITION[CSET82_ORDER.charCodeAt(i)] = i;

const PRIMES: number[] = [];
for (let candidate = 2; PRIMES.length < 100; candidate++) {
  if (PRIMES.every((prime) => candidate % prime !== 0)) PRIMES.push(candidate);
}

/** The check character pair for `data` (without the pair), or undefined if a character is outside CSET 82. */
export function csumAlphaPair(data: string): string | undefined {
  if (data.length > PRIMES.length) return undefined;
  let sum = 0;
  for (let i = 0; i < data.length; i++) {
    const code = data.charCodeAt(i);
    const position = code < 128 ? CSET82_POSITION[code]! : -1;
    if (position < 0) return undefined;
    sum += position * PRIMES[data.length - 1 - i]!;
  }
  sum %= 1021;
  return CSET32_ORDER[sum >> 5]! + CSET32_ORDER[sum & 31]!;
}
