import { aiValueError } from './ai-values.js';
import { ComponentError, splitComponents } from './epc-components.js';
import { EPC_CLASS_SCHEMES, EPC_SCHEMES, NON_GS1_EPC_SCHEMES, type EpcScheme } from './epc-schemes.js';
import { IdentifierError } from './errors.js';
import type { Gs1Key } from './gs1-key.js';

const TAG_SCHEME_SUFFIX = /[-+]/;
const DIGITS = /^\d+$/;

export type ParsedEpcUrn =
  | { readonly type: 'gs1'; readonly key: Gs1Key; readonly companyPrefixLength: number }
  /** A valid EPC that is not a GS1 key (gid, usdod, adi, bic, imovn, raw binary): kept as written. */
  | { readonly type: 'other-epc'; readonly urn: string };

/** The parts of `urn:epc:<kind>:<scheme>:<body>`, or undefined if the value is not an EPC URN. */
export interface EpcUrnParts {
  readonly kind: string;
  readonly scheme: string;
  readonly body: string;
}

const EPC_URN_PREFIX = 'urn:epc:';

/** Whether `uri` starts with "urn:epc:" in any letter case, and has more after it. */
export function isEpcUrn(uri: string): boolean {
  if (uri.length <= 8) return false;
  for (let i = 0; i < 8; i++) {
    const code = uri.charCodeAt(i);
    const expected = EPC_URN_PREFIX.charCodeAt(i);
    // ':' has no case; the letters of the prefix are ASCII, and no other character lower-cases to one of them alone.
    if (code !== expected && !(expected !== 58 && code === expected - 32)) return false;
  }
  return true;
}

export function splitEpcUrn(uri: string): EpcUrnParts {
  const kindEnd = uri.indexOf(':', 8);
  const schemeEnd = kindEnd < 0 ? -1 : uri.indexOf(':', kindEnd + 1);
  if (schemeEnd < 0) throw new IdentifierError(`Invalid EPC URI "${uri}": expected urn:epc:<type>:<scheme>:<value>`, uri);
  return { kind: uri.slice(8, kindEnd), scheme: uri.slice(kindEnd + 1, schemeEnd), body: uri.slice(schemeEnd + 1) };
}

export function epcError(uri: string, reason: string): IdentifierError {
  return new IdentifierError(`Invalid EPC URI "${uri}": ${reason}`, uri);
}

/** Reads the body of a GS1 scheme into a key and checks every AI value against the dictionary. */
export function schemeBodyToKey(uri: string, scheme: EpcScheme, parts: readonly string[], asClass: boolean): Gs1Key {
  let key: Gs1Key;
  try {
    key = asClass ? scheme.classToKey!(parts) : scheme.toKey(parts);
  } catch (error) {
    if (error instanceof ComponentError) throw epcError(uri, error.message);
    throw error;
  }
  const primaryReason = aiValueError(key.primary.ai, key.primary.value);
  if (primaryReason !== undefined) throw epcError(uri, primaryReason);
  for (const element of key.qualifiers) {
    const reason = aiValueError(element.ai, element.value);
    if (reason !== undefined) throw epcError(uri, reason);
  }
  return key;
}

function bodyParts(uri: string, scheme: string, body: string, count: number): string[] {
  const parts = splitComponents(body, count);
  if (!parts) throw epcError(uri, `a ${scheme} EPC has ${count} dot-separated components`);
  return parts;
}

/**
 * Parses a pure identity EPC URN (`urn:epc:id:`), an EPC class URN (`urn:epc:class:lgtin:`), an
 * EPC tag URI (`urn:epc:tag:`, reduced to its pure identity) or a class-level ID pattern
 * (`urn:epc:idpat:<scheme>:...*` for sgtin, upui, grai, gdti, sgcn, cpi, itip). Returns undefined
 * for values that are not `urn:epc:` URNs; throws IdentifierError for invalid ones, unknown schemes
 * and patterns that are not class identifiers.
 */
export function parseEpcUrn(uri: string): ParsedEpcUrn | undefined {
  const cached = parsed.get(uri);
  if (cached !== undefined) return cached;
  const result = parseUncached(uri);
  if (result === undefined) return undefined;
  if (parsed.size >= PARSED_LIMIT) parsed.clear();
  parsed.set(uri, result);
  return result;
}

// Remember recent results (immutable: Gs1Key is readonly) for callers that read the same EPC several times.
// Small, as canonicalIdentifier's cache: serials never repeat, and a large cache only moves each of them to the
// old generation. Cleared wholesale when full.
const PARSED_LIMIT = 2048;
const parsed = new Map<string, ParsedEpcUrn>();

/** parseEpcUrn without its cache, for callers that remember what they make of the result. */
export function parseEpcUrnUncached(uri: string): ParsedEpcUrn | undefined {
  return parseUncached(uri);
}

function parseUncached(uri: string): ParsedEpcUrn | undefined {
  if (!isEpcUrn(uri)) return undefined;
  if (uri.startsWith('raw:', 8)) {
    // urn:epc:raw:<bit length>.<value>: the binary encoding is not decoded here
    if (uri.indexOf('.', 12) < 13) throw epcError(uri, 'expected urn:epc:raw:<length>.<value>');
    return { type: 'other-epc', urn: uri };
  }
  const { kind, scheme, body } = splitEpcUrn(uri);
  switch (kind) {
    case 'id':
      return parsePureIdentity(uri, scheme, body);
    case 'class': {
      const classScheme = EPC_CLASS_SCHEMES[scheme];
      if (!classScheme) throw epcError(uri, `unknown EPC class scheme "${scheme}"`);
      const parts = bodyParts(uri, scheme, body, classScheme.components);
      return { type: 'gs1', key: schemeBodyToKey(uri, classScheme, parts, false), companyPrefixLength: parts[0]!.length };
    }
    case 'idpat': {
      const epcScheme = EPC_SCHEMES[scheme];
      if (!epcScheme) {
        if (NON_GS1_EPC_SCHEMES.has(scheme)) throw epcError(uri, 'an EPC pattern is not an identifier');
        throw epcError(uri, `unknown EPC scheme "${scheme}"`);
      }
      const parts = bodyParts(uri, scheme, body, epcScheme.components);
      const head = parts.slice(0, -1);
      if (!epcScheme.classToKey || parts[parts.length - 1] !== '*' || head.includes('*')) {
        throw epcError(uri, 'an EPC pattern is not an identifier (only urn:epc:idpat patterns with just the last component "*" denote a class)');
      }
      return { type: 'gs1', key: schemeBodyToKey(uri, epcScheme, head, true), companyPrefixLength: parts[0]!.length };
    }
    case 'tag':
      return parseTagUri(uri, scheme, body);
    default:
      throw epcError(uri, `unknown EPC URI type "urn:epc:${kind}:"`);
  }
}

function parsePureIdentity(uri: string, scheme: string, body: string): ParsedEpcUrn {
  const epcScheme = EPC_SCHEMES[scheme];
  if (epcScheme) {
    const parts = bodyParts(uri, scheme, body, epcScheme.components);
    return { type: 'gs1', key: schemeBodyToKey(uri, epcScheme, parts, false), companyPrefixLength: parts[0]!.length };
  }
  if (NON_GS1_EPC_SCHEMES.has(scheme)) {
    if (body === '') throw epcError(uri, `empty ${scheme} EPC`);
    return { type: 'other-epc', urn: uri };
  }
  throw epcError(uri, `unknown EPC scheme "${scheme}"`);
}

/** Splits `sgtin-96` / `sgtin+` style tag scheme names into the pure identity scheme name. */
export function tagBaseScheme(tagScheme: string): string {
  const cut = tagScheme.search(TAG_SCHEME_SUFFIX);
  return cut < 0 ? tagScheme : tagScheme.slice(0, cut);
}

/** Removes TDS control fields (`[att=x01][umi=1]`) and the filter value from a tag URI body. */
export function tagIdentityBody(uri: string, baseScheme: string, body: string): string {
  let rest = body;
  while (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close < 0) throw epcError(uri, 'unclosed control field');
    rest = rest.slice(close + 1);
  }
  if (baseScheme === 'gid') return rest;
  const dot = rest.indexOf('.');
  const filter = dot < 0 ? '' : rest.slice(0, dot);
  if (filter === '' || !(filter === '*' || DIGITS.test(filter))) throw epcError(uri, 'a tag URI starts with a filter value');
  return rest.slice(dot + 1);
}

function parseTagUri(uri: string, tagScheme: string, body: string): ParsedEpcUrn {
  const base = tagBaseScheme(tagScheme);
  if (!EPC_SCHEMES[base] && !NON_GS1_EPC_SCHEMES.has(base)) throw epcError(uri, `unknown EPC tag scheme "${tagScheme}"`);
  const identity = tagIdentityBody(uri, base, body);
  const parsed = parsePureIdentity(uri, base, identity);
  return parsed.type === 'other-epc' ? { type: 'other-epc', urn: `urn:epc:id:${base}:${identity}` } : parsed;
}
