import { digitalLinkKey, parseDigitalLink, type DigitalLinkOptions } from './digital-link.js';
import { parseEpcUrn, isEpcUrn } from './epc-urn.js';
import { companyPrefixSearchText, formatEpcUrn } from './epc-urn-format.js';
import { encodeHashDigitalLinkValue } from './percent-encoding.js';
import { IdentifierError } from './errors.js';
import { classKeyOf, formatCanonicalDigitalLink, keyKind, reduceToIdentity, type Gs1Key, type IdentifierKind } from './gs1-key.js';

/** Looks up the length of the GS1 Company Prefix at the start of `keyDigits` (see companyPrefixSearchText). */
export type CompanyPrefixLength = (keyDigits: string) => number | undefined;

type Resolved =
  | { readonly type: 'gs1'; readonly key: Gs1Key; readonly companyPrefixLength: number | undefined }
  | { readonly type: 'other-epc'; readonly urn: string }
  | { readonly type: 'other' };

const OTHER: Resolved = { type: 'other' };

function resolve(uri: string, options?: DigitalLinkOptions): Resolved {
  if (typeof uri !== 'string') throw new IdentifierError('an identifier must be a string');
  if (isEpcUrn(uri)) {
    const parsed = parseEpcUrn(uri)!;
    if (parsed.type === 'other-epc') return parsed;
    return { type: 'gs1', key: reduceToIdentity(parsed.key), companyPrefixLength: parsed.companyPrefixLength };
  }
  // A bare path is a Digital Link for the resolver, but not an absolute URI: not an identifier.
  const link = uri.startsWith('/') ? undefined : parseDigitalLink(uri, options);
  if (!link) return OTHER;
  return { type: 'gs1', key: reduceToIdentity(digitalLinkKey(link)), companyPrefixLength: undefined };
}

// Identifiers repeat a lot across captured events (read points, locations, parents): remember
// recent results. Bounded; cleared wholesale when full, which is cheap and good enough.
const CACHE_LIMIT = 50_000;
const cache = new Map<string, string>();

/**
 * The canonical key of an identifier: the canonical GS1 Digital Link URI
 * (https://id.gs1.org/<AI>/<value>[/<qualifier AI>/<value>...]) for any GS1 identifier given as an
 * EPC URN (pure identity, class, class-level pattern or tag URI) or as a Digital Link on any host;
 * any other URI unchanged. Throws IdentifierError when the value claims a GS1 scheme but is invalid.
 */
export function canonicalIdentifier(uri: string): string {
  const cached = cache.get(uri);
  if (cached !== undefined) return cached;
  const resolved = resolve(uri);
  const canonical = resolved.type === 'gs1' ? formatCanonicalDigitalLink(resolved.key) : resolved.type === 'other-epc' ? resolved.urn : uri;
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(uri, canonical);
  return canonical;
}

/**
 * An identifier as the CBV 2.0 event hash writes it: the canonical Digital Link with ' ; = literal,
 * characters that a Digital Link should have percent-encoded taken as written (events stored before
 * they were refused keep their hash); any other URI unchanged. Throws IdentifierError when invalid.
 */
export function eventHashIdentifier(uri: string): string {
  const cached = hashCache.get(uri);
  if (cached !== undefined) return cached;
  const resolved = resolve(uri, { rawCharacters: true });
  const written = resolved.type === 'gs1' ? formatCanonicalDigitalLink(resolved.key, encodeHashDigitalLinkValue) : resolved.type === 'other-epc' ? resolved.urn : uri;
  if (hashCache.size >= CACHE_LIMIT) hashCache.clear();
  hashCache.set(uri, written);
  return written;
}

// As `cache`, for the event hash's spelling.
const hashCache = new Map<string, string>();

/** undefined when canonicalIdentifier accepts the value, else the reason it does not. */
export function validateIdentifier(uri: string): string | undefined {
  try {
    canonicalIdentifier(uri);
    return undefined;
  } catch (error) {
    if (error instanceof IdentifierError) return error.message;
    throw error;
  }
}

/** Canonical Digital Link of a GS1 identifier; undefined for other URIs. Throws IdentifierError if invalid. */
export function toDigitalLink(uri: string): string | undefined {
  const resolved = resolve(uri);
  return resolved.type === 'gs1' ? formatCanonicalDigitalLink(resolved.key) : undefined;
}

/**
 * EPC URN of a GS1 identifier (pure identity, `urn:epc:class:lgtin` or class-level
 * `urn:epc:idpat`). A Digital Link needs the GS1 Company Prefix length: without `prefixLength`, or
 * when it returns undefined or a length that does not fit, the answer is undefined. Keys without
 * an EPC form (e.g. GMN, GSRN with SRIN) give undefined; non-GS1 EPCs are returned as they are.
 */
export function toEpcUrn(uri: string, prefixLength?: CompanyPrefixLength): string | undefined {
  const resolved = resolve(uri);
  if (resolved.type === 'other-epc') return resolved.urn;
  if (resolved.type === 'other') return undefined;
  let length = resolved.companyPrefixLength;
  if (length === undefined) {
    const searchText = companyPrefixSearchText(resolved.key);
    if (searchText === undefined || !prefixLength) return undefined;
    length = prefixLength(searchText);
    if (length === undefined) return undefined;
  }
  return formatEpcUrn(resolved.key, length);
}

/** instance, class (LGTIN, product class, GRAI/GDTI/GCN/CPID/ITIP without serial, GMN), location (GLN 414), party (417, 415) or other. Never throws. */
export function identifierKind(uri: string): IdentifierKind {
  try {
    const resolved = resolve(uri);
    if (resolved.type === 'gs1') return keyKind(resolved.key);
    return resolved.type === 'other-epc' ? 'instance' : 'other';
  } catch (error) {
    if (error instanceof IdentifierError) return 'other';
    throw error;
  }
}

/**
 * For a serialised instance (SGTIN, UPUI, ITIP, GRAI, GDTI, SGCN, CPI), the canonical key of its
 * class: https://id.gs1.org/01/<GTIN> for an SGTIN. undefined for anything else.
 */
export function lotOfSerial(uri: string): string | undefined {
  const resolved = resolve(uri);
  if (resolved.type !== 'gs1') return undefined;
  const classKey = classKeyOf(resolved.key);
  return classKey && formatCanonicalDigitalLink(classKey);
}
