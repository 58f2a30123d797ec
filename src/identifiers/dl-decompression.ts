import { aiDefinition, isDigitalLinkPrimaryKey } from './ai-table.js';
import { isAllDigits } from './character-sets.js';
import { AI_LENGTH_BY_PREFIX, OPTIMISATIONS, VALUE_FORMATS } from './dl-compression-tables.js';
import { IdentifierError } from './errors.js';
import type { AiElement } from './gs1-key.js';
import { encodeDigitalLinkValue } from './percent-encoding.js';

/**
 * Decompression of GS1 Digital Links (GS1 Digital Link: Compression). A compressed path segment is
 * base64url text of a bit string: for each element an AI (two to four decimal digits as 4-bit hex
 * digits, or two hex digits of an optimisation code standing for several AIs, or "F" and a non-GS1
 * query parameter), then its value as the tables say: numeric components as binary numbers (with a
 * length first when their length varies), alphanumeric ones with a 3-bit encoding (digits, hex,
 * base64url or 7-bit ASCII) and a length. Written from the standard's description; the tables are
 * in dl-compression-tables.ts.
 */

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const HEX = '0123456789ABCDEF';
const COMPRESSED_SEGMENT = /^[A-Za-z0-9_-]+$/;

interface Component {
  readonly numeric: boolean;
  /** fixed length, or undefined when the length varies up to max */
  readonly fixed: number | undefined;
  readonly max: number;
}

const FORMATS = new Map<string, readonly Component[]>();
for (const row of VALUE_FORMATS) {
  const [range, ...specs] = row.split(' ');
  const [first, last = first] = range!.split('-');
  const components = specs.map((spec): Component => {
    const variable = spec.includes('..');
    const length = Number(spec.slice(variable ? 3 : 1));
    return { numeric: spec[0] === 'N', fixed: variable ? undefined : length, max: length };
  });
  for (let code = Number(first); code <= Number(last); code++) FORMATS.set(String(code).padStart(first!.length, '0'), components);
}

/** Bits that hold a number of `digits` decimal digits, and bits that hold a length up to `max`, as the standard counts them. */
const valueBits = (digits: number): number => Math.ceil((digits * Math.log(10)) / Math.log(2) + 0.01);
const lengthBits = (max: number): number => Math.ceil(Math.log(max) / Math.log(2) + 0.01);

/** The bit string does not decode: the text is not a compressed Digital Link. */
class NotCompressed extends Error {}

class BitReader {
  private position = 0;

  constructor(private readonly bits: string) {}

  get remaining(): number {
    return this.bits.length - this.position;
  }

  big(count: number): bigint {
    if (count > this.remaining) throw new NotCompressed('the bits end inside an element');
    const value = count === 0 ? 0n : BigInt(`0b${this.bits.slice(this.position, this.position + count)}`);
    this.position += count;
    return value;
  }

  number(count: number): number {
    return Number(this.big(count));
  }

  rest(): string {
    return this.bits.slice(this.position);
  }
}

function toBits(segment: string): string {
  let bits = '';
  for (const char of segment) bits += BASE64URL.indexOf(char).toString(2).padStart(6, '0');
  return bits;
}

function digits(reader: BitReader, count: number): string {
  if (count === 0) return '';
  const text = reader.big(valueBits(count)).toString();
  if (text.length > count) throw new NotCompressed('a number longer than its length');
  return text.padStart(count, '0');
}

function characters(reader: BitReader, encoding: number, count: number): string {
  switch (encoding) {
    case 0:
      return digits(reader, count);
    case 1:
    case 2: {
      let text = '';
      for (let i = 0; i < count; i++) text += HEX[reader.number(4)]!;
      return encoding === 1 ? text.toLowerCase() : text;
    }
    case 3: {
      let text = '';
      for (let i = 0; i < count; i++) text += BASE64URL[reader.number(6)]!;
      return text;
    }
    case 4: {
      let text = '';
      for (let i = 0; i < count; i++) text += String.fromCharCode(reader.number(7));
      return text;
    }
    default:
      throw new NotCompressed(`unknown encoding ${encoding}`);
  }
}

function value(reader: BitReader, ai: string): string {
  const components = FORMATS.get(ai);
  if (!components) throw new NotCompressed(`AI (${ai}) has no compressed form`);
  let text = '';
  for (const component of components) {
    if (component.numeric) {
      const count = component.fixed ?? reader.number(lengthBits(component.max));
      if (count > component.max) throw new NotCompressed('a value longer than its AI allows');
      text += digits(reader, count);
    } else {
      const encoding = reader.number(3);
      const count = component.fixed ?? reader.number(lengthBits(component.max));
      if (count > component.max) throw new NotCompressed('a value longer than its AI allows');
      text += characters(reader, encoding, count);
    }
  }
  return text;
}

export interface DecompressedSegment {
  readonly elements: AiElement[];
  /** Non-GS1 query parameters that were compressed with the AIs, in order. */
  readonly otherParameters: { key: string; value: string }[];
}

/** The elements a compressed path segment holds, or undefined when the segment does not decode as one. */
export function decompressSegment(segment: string): DecompressedSegment | undefined {
  if (!COMPRESSED_SEGMENT.test(segment)) return undefined;
  const reader = new BitReader(toBits(segment));
  const elements: AiElement[] = [];
  const otherParameters: { key: string; value: string }[] = [];
  const push = (ai: string) => {
    if (elements.some((element) => element.ai === ai)) throw new NotCompressed(`AI (${ai}) twice`);
    elements.push({ ai, value: value(reader, ai) });
  };
  try {
    while (reader.remaining > 8) {
      const high = reader.number(4);
      const low = reader.number(4);
      if (high <= 9 && low <= 9) {
        const prefix = `${high}${low}`;
        const length = AI_LENGTH_BY_PREFIX[prefix];
        if (length === undefined) throw new NotCompressed(`no AI starts with ${prefix}`);
        let ai = prefix;
        while (ai.length < length) {
          const digit = reader.number(4);
          if (digit > 9) throw new NotCompressed('an AI digit above 9');
          ai += String(digit);
        }
        push(ai);
      } else if (OPTIMISATIONS[`${HEX[high]}${HEX[low]}`]) {
        for (const ai of OPTIMISATIONS[`${HEX[high]}${HEX[low]}`]!) push(ai);
      } else if (high === 15) {
        // "F", then a 7-bit key length whose first 4 bits were read as the second hex digit.
        const keyLength = (low << 3) | reader.number(3);
        let key = '';
        for (let i = 0; i < keyLength; i++) key += BASE64URL[reader.number(6)]!;
        const encoding = reader.number(3);
        otherParameters.push({ key, value: characters(reader, encoding, reader.number(7)) });
      } else {
        throw new NotCompressed(`no optimisation ${HEX[high]}${HEX[low]}`);
      }
    }
  } catch (error) {
    if (error instanceof NotCompressed) return undefined;
    throw error;
  }
  // What is left (8 bits at most, too few for an element) is padding: zero bits.
  if (/1/.test(reader.rest()) || elements.length + otherParameters.length === 0) return undefined;
  return { elements, otherParameters };
}

/** Orders the qualifiers of a primary key as its first dictionary sequence that holds them all. */
function qualifierOrder(primaryAi: string, qualifiers: readonly AiElement[]): AiElement[] {
  const sequences = aiDefinition(primaryAi)?.dlPrimaryKey ?? [];
  const fitting = sequences.find((sequence) => qualifiers.every((q) => sequence.includes(q.ai))) ?? sequences[0] ?? [];
  const rank = (ai: string) => (fitting.includes(ai) ? fitting.indexOf(ai) : fitting.length);
  return [...qualifiers].sort((a, b) => rank(a.ai) - rank(b.ai));
}

const isQualifierOf = (primaryAi: string, ai: string) => (aiDefinition(primaryAi)?.dlPrimaryKey ?? []).some((s) => s.includes(ai));

/**
 * The uncompressed Digital Link path and query of a compressed one: `/<segment>` (fully compressed)
 * or `/<primary key AI>/<value>[/<qualifier AI>/<value>...]/<segment>` (partially compressed), with
 * an optional query string of its own, which follows the decompressed data attributes and parameters.
 * Undefined when the path is not in either form or the segment does not decode. Throws
 * IdentifierError when it decodes but names no primary key or several.
 */
export function decompressDigitalLinkPath(pathAndQuery: string): string | undefined {
  const queryAt = pathAndQuery.search(/[?#]/);
  const path = queryAt < 0 ? pathAndQuery : pathAndQuery.slice(0, queryAt);
  const rest = queryAt < 0 ? '' : pathAndQuery.slice(queryAt);
  const segments = path.split('/').slice(1);
  if (segments.length > 1 && segments[segments.length - 1] === '') segments.pop();
  if (segments.length % 2 !== 1) return undefined;
  const uncompressed: AiElement[] = [];
  for (let i = 0; i + 1 < segments.length; i += 2) {
    const ai = segments[i]!;
    if (!isAllDigits(ai) || (i === 0 && !isDigitalLinkPrimaryKey(ai))) return undefined;
    uncompressed.push({ ai, value: decodeURIComponentSafe(segments[i + 1]!) });
  }
  const decoded = decompressSegment(segments[segments.length - 1]!);
  if (!decoded) return undefined;

  const all = [...uncompressed, ...decoded.elements];
  const primaries = all.filter((element) => isDigitalLinkPrimaryKey(element.ai));
  const primary = uncompressed[0] ?? primaries[0];
  if (!primary) throw new IdentifierError(`compressed GS1 Digital Link "${pathAndQuery}" holds no primary key (AIs ${all.map((e) => `(${e.ai})`).join(', ')})`);
  if (primaries.some((element) => element !== primary && !isQualifierOf(primary.ai, element.ai))) {
    throw new IdentifierError(`compressed GS1 Digital Link "${pathAndQuery}" holds more than one primary key`);
  }
  const others = all.filter((element) => element !== primary);
  const qualifiers = qualifierOrder(primary.ai, others.filter((element) => isQualifierOf(primary.ai, element.ai)));
  const attributes = others.filter((element) => !qualifiers.includes(element));

  const keyPath = [primary, ...qualifiers].map(({ ai, value: v }) => `/${ai}/${encodeDigitalLinkValue(v)}`).join('');
  const query = [
    ...attributes.map(({ ai, value: v }) => `${ai}=${encodeDigitalLinkValue(v)}`),
    ...decoded.otherParameters.map(({ key, value: v }) => `${key}=${encodeURIComponent(v)}`),
  ];
  const own = rest.startsWith('?') ? rest.slice(1) : '';
  const fragment = rest.startsWith('#') ? rest : own.includes('#') ? own.slice(own.indexOf('#')) : '';
  const ownQuery = own.includes('#') ? own.slice(0, own.indexOf('#')) : own;
  if (ownQuery !== '') query.push(ownQuery);
  return `${keyPath}${query.length ? `?${query.join('&')}` : ''}${fragment}`;
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
