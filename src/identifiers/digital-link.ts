import { aiDefinition, describeAi, isDigitalLinkPrimaryKey, isDigitalLinkQualifier } from './ai-table.js';
import { aiValueError } from './ai-values.js';
import { isAllDigits } from './character-sets.js';
import { DIGITAL_LINK_SHORT_NAMES } from './digital-link-short-names.js';
import { decompressDigitalLinkPath } from './dl-decompression.js';
import { IdentifierError } from './errors.js';
import type { AiElement, Gs1Key } from './gs1-key.js';
import { decodePercent, firstRawOutsideGrammar } from './percent-encoding.js';

export interface DigitalLinkParameter {
  readonly key: string;
  readonly value: string;
}

export interface ParsedDigitalLink {
  readonly primaryKey: AiElement;
  /** Key qualifiers from the path, in path order (already checked against the dictionary's dlpkey sequences). */
  readonly qualifiers: readonly AiElement[];
  /** GS1 data attributes from the query string (AIs flagged "?" in the dictionary), validated. */
  readonly attributes: readonly AiElement[];
  /** Query parameters whose key is not numeric (e.g. linkType), values percent-decoded. */
  readonly otherParameters: readonly DigitalLinkParameter[];
  /** "https://example.com" as written (scheme and host lower-cased), or "" when only a path was given. */
  readonly origin: string;
  /** Path before the primary key, e.g. "/resolve", or "". */
  readonly pathPrefix: string;
  readonly fragment: string | undefined;
}

export interface DigitalLinkOptions {
  /**
   * Resolver-style tolerance: accept a trailing slash (the resolver rules say a resolver SHOULD
   * tolerate one). Without it a trailing slash is an error, as in the Digital Link ABNF and the
   * CBV 2.0 constrained syntax for EPCIS identifiers. A GTIN must have 14 digits either way.
   */
  readonly lenient?: boolean;
  /**
   * Take characters the URI syntax requires percent-encoded (! ' ( ) * + , : ; = ...) as written, as
   * the CBV 2.0 event-hash normaliser does. Only for hashing what was stored before they were refused.
   */
  readonly rawCharacters?: boolean;
}

const CANONICAL_HOST = 'id.gs1.org';
const PORT = /:\d*$/;

function fail(uri: string, reason: string): never {
  throw new IdentifierError(`Invalid GS1 Digital Link "${uri}": ${reason}`, uri);
}

function startsLikeKey(segment: string): boolean {
  return segment.length >= 4 && isAllDigits(segment.slice(0, 4));
}

/** Numeric AI or Digital Link 1.1 short name of a path segment, else undefined. */
function segmentAi(segment: string): string | undefined {
  if (segment.length >= 2 && segment.length <= 4 && isAllDigits(segment)) return segment;
  return DIGITAL_LINK_SHORT_NAMES.get(segment);
}

/**
 * Parses a GS1 Digital Link URI (any host, optional path prefix before the primary key, query
 * attributes, fragment) or a bare path starting with "/". Returns undefined when the value is not
 * a Digital Link at all; throws IdentifierError when it claims to be one (its host is id.gs1.org,
 * or its path holds a primary key AI followed by a value starting with four digits) but is invalid.
 */
export function parseDigitalLink(uri: string, options: DigitalLinkOptions = {}): ParsedDigitalLink | undefined {
  const lenient = options.lenient === true;
  let origin = '';
  let rest: string;
  let claimed = false;
  if (uri.startsWith('/')) {
    rest = uri;
  } else {
    const schemeEnd = uri.indexOf('://');
    if (schemeEnd < 4 || schemeEnd > 5) return undefined;
    const scheme = uri.slice(0, schemeEnd).toLowerCase();
    if (scheme !== 'http' && scheme !== 'https') return undefined;
    let authorityEnd = schemeEnd + 3;
    while (authorityEnd < uri.length) {
      const char = uri.charCodeAt(authorityEnd);
      if (char === 47 /* / */ || char === 63 /* ? */ || char === 35 /* # */) break;
      authorityEnd++;
    }
    const authority = uri.slice(schemeEnd + 3, authorityEnd).toLowerCase();
    origin = `${scheme}://${authority}`;
    const host = authority.slice(authority.lastIndexOf('@') + 1).replace(PORT, '');
    claimed = host === CANONICAL_HOST;
    rest = uri.slice(authorityEnd);
  }

  let pathEnd = rest.length;
  const hashAt = rest.indexOf('#');
  if (hashAt >= 0) pathEnd = hashAt;
  const queryAt = rest.indexOf('?');
  if (queryAt >= 0 && queryAt < pathEnd) pathEnd = queryAt;
  const path = rest.slice(0, pathEnd);
  const query = queryAt >= 0 && queryAt < (hashAt >= 0 ? hashAt : rest.length) ? rest.slice(queryAt + 1, hashAt >= 0 ? hashAt : rest.length) : '';
  const fragment = hashAt >= 0 ? rest.slice(hashAt + 1) : undefined;

  const segments = path.length > 1 ? path.slice(1).split('/') : [];
  let trailingSlash = false;
  if (segments.length > 1 && segments[segments.length - 1] === '') {
    trailingSlash = true;
    segments.pop();
  }

  // The primary key is found by walking (AI, value) pairs back from the end of the path: key
  // qualifiers may precede it, anything before it is a path prefix of the link's owner.
  let primaryAt = -1;
  for (let i = segments.length - 2; i >= 0; i -= 2) {
    const ai = segmentAi(segments[i]!);
    if (ai === undefined) break;
    if (isDigitalLinkPrimaryKey(ai)) {
      primaryAt = i;
      break;
    }
    if (!isDigitalLinkQualifier(ai)) break;
  }

  // Off id.gs1.org, a path is only taken for a Digital Link when a primary key AI is followed by
  // a value that starts like a GS1 key (every primary key starts with a company prefix, at least
  // four digits, after at most an indicator digit): ".../2000/01/rdf-schema" stays an ordinary URI.
  if (primaryAt >= 0 && !claimed && !startsLikeKey(segments[primaryAt + 1]!)) return undefined;
  if (primaryAt < 0) {
    const firstKey = segments.findIndex((segment, at) => {
      const ai = segmentAi(segment);
      return ai !== undefined && isDigitalLinkPrimaryKey(ai) && (claimed || startsLikeKey(segments[at + 1] ?? ''));
    });
    const compressed = compressedForm(origin, rest, claimed);
    if (compressed !== undefined) {
      fail(uri, `it is a compressed GS1 Digital Link; EPCIS identifiers use the uncompressed form: ${compressed}`);
    }
    if (firstKey < 0 && !claimed) return undefined;
    fail(uri, firstKey < 0 ? 'no GS1 primary key in the path' : pathStructureError(segments, firstKey));
  }
  if (trailingSlash && !lenient) fail(uri, 'the path must not end with "/"');

  const primaryAi = segmentAi(segments[primaryAt]!)!;
  const raw = options.rawCharacters === true;
  const primaryValue = decodeSegment(uri, segments[primaryAt + 1]!, raw);
  checkShortGtin(uri, primaryAi, primaryValue);
  checkValue(uri, primaryAi, primaryValue);

  const qualifiers: AiElement[] = [];
  for (let i = primaryAt + 2; i < segments.length; i += 2) {
    const ai = segmentAi(segments[i]!)!;
    const value = decodeSegment(uri, segments[i + 1]!, raw);
    checkValue(uri, ai, value);
    qualifiers.push({ ai, value });
  }
  checkQualifierOrder(uri, primaryAi, qualifiers);

  const { attributes, otherParameters } = parseQuery(uri, query, raw);
  checkAssociations(uri, [{ ai: primaryAi, value: primaryValue }, ...qualifiers], attributes);
  return {
    primaryKey: { ai: primaryAi, value: primaryValue },
    qualifiers,
    attributes,
    otherParameters,
    origin,
    pathPrefix: primaryAt > 0 ? `/${segments.slice(0, primaryAt).join('/')}` : '',
    fragment,
  };
}

/**
 * The uncompressed form of a compressed Digital Link (GS1 Digital Link: Compression), when the path
 * is one and its uncompressed form is a valid Digital Link; else undefined.
 */
function compressedForm(origin: string, pathAndQuery: string, claimed: boolean): string | undefined {
  let expanded: string | undefined;
  try {
    expanded = decompressDigitalLinkPath(pathAndQuery);
  } catch (error) {
    if (error instanceof IdentifierError) return undefined;
    throw error;
  }
  if (expanded === undefined) return undefined;
  const uncompressed = `${origin === '' || claimed ? 'https://id.gs1.org' : origin}${expanded}`;
  try {
    return parseDigitalLink(uncompressed) ? uncompressed : undefined;
  } catch (error) {
    if (error instanceof IdentifierError) return claimed ? uncompressed : undefined;
    throw error;
  }
}

export function digitalLinkKey(parsed: ParsedDigitalLink): Gs1Key {
  return { primary: parsed.primaryKey, qualifiers: parsed.qualifiers };
}

/** The Digital Link URI syntax writes a GTIN with 14 digits; GTIN-8, -12 and -13 take leading zeros. */
function checkShortGtin(uri: string, ai: string, value: string): void {
  if (ai === '01' && isAllDigits(value) && (value.length === 8 || value.length === 12 || value.length === 13)) {
    fail(uri, `a GTIN is written with 14 digits in a Digital Link: "${value}" is a GTIN-${value.length}, write ${value.padStart(14, '0')}`);
  }
}

function decodeSegment(uri: string, segment: string, rawCharacters: boolean): string {
  const raw = rawCharacters ? -1 : firstRawOutsideGrammar(segment);
  if (raw >= 0) fail(uri, mustBeEncoded(segment, raw));
  const value = decodePercent(segment);
  if (value === undefined) fail(uri, `invalid percent-encoding in "${segment}"`);
  return value;
}

function mustBeEncoded(text: string, at: number): string {
  const code = text.codePointAt(at)!;
  const char = String.fromCodePoint(code);
  const escape = code < 128 ? `%${code.toString(16).toUpperCase().padStart(2, '0')}` : 'percent-encoded UTF-8';
  return `"${char}" in "${text}" must be percent-encoded (${escape}): the GS1 Digital Link URI syntax allows only letters, digits, "-", ".", "_" and percent-encoded characters in a value`;
}

function checkValue(uri: string, ai: string, value: string): void {
  if (value === '') fail(uri, `AI ${describeAi(ai)} has an empty value`);
  const error = aiValueError(ai, value);
  if (error !== undefined) fail(uri, error);
}

function sequencesText(sequences: readonly (readonly string[])[]): string {
  return sequences.map((sequence) => sequence.join(', ')).join(' or ');
}

function checkQualifierOrder(uri: string, primaryAi: string, qualifiers: readonly AiElement[]): void {
  if (qualifiers.length === 0) return;
  const sequences = aiDefinition(primaryAi)?.dlPrimaryKey ?? [];
  const fits = sequences.some((sequence) => {
    let next = 0;
    for (const { ai } of qualifiers) {
      const at = sequence.indexOf(ai, next);
      if (at < 0) return false;
      next = at + 1;
    }
    return true;
  });
  if (!fits) {
    const allowed = sequences.some((sequence) => sequence.length > 0)
      ? `allowed, in this order: ${sequencesText(sequences)}`
      : 'it takes no key qualifiers';
    fail(uri, `key qualifiers ${qualifiers.map(({ ai }) => `(${ai})`).join(', ')} are not valid after primary key ${describeAi(primaryAi)} (${allowed})`);
  }
}

/** Whether an AI of `ais` matches a dictionary AI or pattern ("310n": n is any digit). */
function hasAiLike(ais: readonly string[], pattern: string): boolean {
  if (!pattern.includes('n')) return ais.includes(pattern);
  return ais.some((ai) => ai.length === pattern.length && [...pattern].every((char, i) => char === 'n' || char === ai[i]));
}

const aiGroupText = (group: string) => group.split('+').map((ai) => `(${ai})`).join(' with ');

/**
 * The Syntax Dictionary's associations: a data attribute needs one of the AIs (or AI groups) of each
 * of its `req` lists in the same Digital Link (an expiry date needs a GTIN, ITIP ...: /00/{sscc}?17=...
 * is refused), and no element may be paired with an AI of its `ex` list. Key qualifiers are checked by
 * their primary key's dlpkey sequences instead.
 */
function checkAssociations(uri: string, key: readonly AiElement[], attributes: readonly AiElement[]): void {
  const all = [...key, ...attributes].map(({ ai }) => ai);
  for (const { ai } of attributes) {
    for (const group of aiDefinition(ai)?.req ?? []) {
      if (!group.some((alternative) => alternative.split('+').every((part) => hasAiLike(all, part)))) {
        fail(uri, `AI ${describeAi(ai)} may only be used with ${group.map(aiGroupText).join(' or ')} (GS1 Barcode Syntax Dictionary)`);
      }
    }
  }
  all.forEach((ai, index) => {
    const others = all.filter((_, at) => at !== index);
    for (const pattern of aiDefinition(ai)?.ex ?? []) {
      if (hasAiLike(others, pattern)) fail(uri, `AI ${describeAi(ai)} must not be used with (${pattern}) (GS1 Barcode Syntax Dictionary)`);
    }
  });
}

/** Explains why the path after its first primary key AI is not a valid key + qualifiers sequence. */
function pathStructureError(segments: readonly string[], primaryAt: number): string {
  const primaryAi = segmentAi(segments[primaryAt]!)!;
  for (let i = primaryAt; i < segments.length; i += 2) {
    const ai = segmentAi(segments[i]!);
    if (i > primaryAt && (ai === undefined || !isDigitalLinkQualifier(ai))) {
      const sequences = aiDefinition(primaryAi)?.dlPrimaryKey ?? [];
      return `path segment "${segments[i]}" is not a key qualifier of primary key ${describeAi(primaryAi)} (allowed: ${sequencesText(sequences) || 'none'})`;
    }
    if (i + 1 >= segments.length || segments[i + 1] === '') return `AI ${describeAi(ai ?? segments[i]!)} has no value`;
  }
  return 'invalid path';
}

function parseQuery(uri: string, query: string, rawCharacters: boolean): { attributes: AiElement[]; otherParameters: DigitalLinkParameter[] } {
  const attributes: AiElement[] = [];
  const otherParameters: DigitalLinkParameter[] = [];
  if (query === '') return { attributes, otherParameters };
  for (const pair of query.split('&')) {
    if (pair === '') continue;
    const equals = pair.indexOf('=');
    const rawKey = equals >= 0 ? pair.slice(0, equals) : pair;
    const rawValue = equals >= 0 ? pair.slice(equals + 1) : '';
    if (isAllDigits(rawKey)) {
      const definition = aiDefinition(rawKey);
      if (!definition) fail(uri, `query parameter "${rawKey}" is numeric but not a GS1 Application Identifier`);
      if (!definition.dlAttribute) fail(uri, `AI ${describeAi(rawKey)} is not permitted as a Digital Link data attribute`);
      const raw = rawCharacters ? -1 : firstRawOutsideGrammar(rawValue);
      if (raw >= 0) fail(uri, mustBeEncoded(rawValue, raw));
      const value = decodePercent(rawValue);
      if (value === undefined) fail(uri, `invalid percent-encoding in "${pair}"`);
      checkValue(uri, rawKey, value);
      attributes.push({ ai: rawKey, value });
    } else {
      otherParameters.push({ key: decodePercent(rawKey) ?? rawKey, value: decodePercent(rawValue) ?? rawValue });
    }
  }
  return { attributes, otherParameters };
}
