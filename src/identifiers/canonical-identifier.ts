import { digitalLinkKey, parseDigitalLink, type DigitalLinkOptions } from './digital-link.js';
import { parseEpcUrnUncached, isEpcUrn } from './epc-urn.js';
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
    // Not parseEpcUrn's cache: canonicalIdentifier and eventHashIdentifier remember their results.
    const parsed = parseEpcUrnUncached(uri)!;
    if (parsed.type === 'other-epc') return parsed;
    const key = reduceToIdentity(parsed.key);
    return key === parsed.key ? parsed : { type: 'gs1', key, companyPrefixLength: parsed.companyPrefixLength };
  }
  // A bare path is a Digital Link for the resolver, but not an absolute URI: not an identifier.
  const link = uri.startsWith('/') ? undefined : parseDigitalLink(uri, options);
  if (!link) return OTHER;
  return { type: 'gs1', key: reduceToIdentity(digitalLinkKey(link)), companyPrefixLength: undefined };
}

/**
 * What is known of one identifier string: its canonical key, its event-hash spelling and, for an EPC URN, the
 * GS1 Company Prefix it spells out. Capture asks for all three of each identifier of an event: one parse and
 * one cache entry serve them.
 */
class Known {
  canonical: string | undefined = undefined;
  /** Its canonical Digital Link; null for a URI that is not a GS1 identifier. */
  digitalLink: string | null | undefined = undefined;
  hash: string | undefined = undefined;
  companyPrefix: string | undefined = undefined;
}

// Identifiers repeat a lot across captured events (read points, locations, parents, classes): remember recent
// results. Serials never repeat, so the cache is kept small: a large one holds each of them long enough to be
// moved to the old generation, which costs more garbage collection than the lookups save. Cleared wholesale when
// full, which is cheap, and the recurring identifiers are back after one event.
const CACHE_LIMIT = 2048;
const cache = new Map<string, Known>();

function known(uri: string): Known {
  let entry = cache.get(uri);
  if (entry === undefined) {
    if (cache.size >= CACHE_LIMIT) cache.clear();
    entry = new Known();
    cache.set(uri, entry);
  }
  return entry;
}

/** Fills in the canonical key, and from the same parse the hash spelling and company prefix of an EPC URN. */
function learnCanonical(uri: string, entry: Known): string {
  const resolved = resolve(uri);
  if (resolved.type !== 'gs1') {
    entry.canonical = resolved.type === 'other-epc' ? resolved.urn : uri;
    entry.digitalLink = null;
    return entry.canonical;
  }
  const canonical = formatCanonicalDigitalLink(resolved.key);
  entry.canonical = canonical;
  entry.digitalLink = canonical;
  if (resolved.companyPrefixLength !== undefined) {
    // An EPC URN (Digital Link options play no part in reading one): the hash spelling differs only where the
    // canonical one percent-encodes, and the prefix is the one the URN separates.
    entry.hash ??= canonical.includes('%') ? formatCanonicalDigitalLink(resolved.key, encodeHashDigitalLinkValue) : canonical;
    entry.companyPrefix = companyPrefixSearchText(resolved.key)?.slice(0, resolved.companyPrefixLength);
  }
  return canonical;
}

/**
 * The canonical key of an identifier: the canonical GS1 Digital Link URI
 * (https://id.gs1.org/<AI>/<value>[/<qualifier AI>/<value>...]) for any GS1 identifier given as an
 * EPC URN (pure identity, class, class-level pattern or tag URI) or as a Digital Link on any host;
 * any other URI unchanged. Throws IdentifierError when the value claims a GS1 scheme but is invalid.
 */
export function canonicalIdentifier(uri: string): string {
  const entry = known(uri);
  return entry.canonical ?? learnCanonical(uri, entry);
}

/** An identifier's canonical key and, for a GS1 EPC URN, the GS1 Company Prefix it spells out. */
export interface IdentifierKey {
  readonly canonical: string;
  readonly companyPrefix: string | undefined;
}

/** As canonicalIdentifier, with the company prefix (the same object for the same string while it is remembered: do not keep it). */
export function identifierKey(uri: string): IdentifierKey {
  const entry = known(uri);
  if (entry.canonical === undefined) learnCanonical(uri, entry);
  return entry as IdentifierKey;
}

/**
 * An identifier as the CBV 2.0 event hash writes it: the canonical Digital Link with ' ; = literal,
 * characters that a Digital Link should have percent-encoded taken as written (events stored before
 * they were refused keep their hash); any other URI unchanged. Throws IdentifierError when invalid.
 */
export function eventHashIdentifier(uri: string): string {
  const entry = known(uri);
  if (entry.hash !== undefined) return entry.hash;
  const resolved = resolve(uri, { rawCharacters: true });
  entry.hash = resolved.type === 'gs1' ? formatCanonicalDigitalLink(resolved.key, encodeHashDigitalLinkValue) : resolved.type === 'other-epc' ? resolved.urn : uri;
  return entry.hash;
}

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
  // Remembered with the canonical key: events delivered in Digital Link form repeat their locations, parties and
  // classes. A serial (AI 21) does not repeat: remembering it would only push those out sooner.
  const entry = cache.get(uri);
  if (entry?.digitalLink !== undefined) return entry.digitalLink ?? undefined;
  const serialised = entry ? undefined : serialisedItemLink(uri);
  if (serialised !== undefined) return serialised;
  const resolved = resolve(uri);
  const link = linkOf(resolved);
  if (entry) entry.digitalLink = link;
  else if (resolved.type !== 'gs1' || !resolved.key.qualifiers.some((element) => element.ai === '21')) known(uri).digitalLink = link;
  return link ?? undefined;
}

const SGTIN_URN = 'urn:epc:id:sgtin:';
/** A serial that both forms write as it is (no escape in the URN, no percent-encoding in the link) and AI 21 allows. */
function isPlainSerial(text: string, from: number): boolean {
  const length = text.length - from;
  if (length < 1 || length > 20) return false;
  for (let i = from; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (!((code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122))) return false;
  }
  return true;
}
/** By SGTIN class (`urn:epc:id:sgtin:<prefix>.<item>.`): its Digital Link up to the serial (`…/01/<GTIN>/21/`), or null. */
const sgtinClasses = new Map<string, string | null>();
const SGTIN_CLASS_LIMIT = 4096;

/**
 * The Digital Link of a serialised item (`urn:epc:id:sgtin:<prefix>.<item>.<serial>`) with a plain serial, from its
 * class's link learnt once: a delivery writes thousands of them, each parsed and checked in full before, although
 * only the serial changes. Undefined when this shortcut does not apply (the full translation decides).
 */
function serialisedItemLink(uri: string): string | undefined {
  if (!uri.startsWith(SGTIN_URN)) return undefined;
  const end = uri.indexOf('.', uri.indexOf('.', SGTIN_URN.length) + 1);
  if (end < 0) return undefined;
  if (!isPlainSerial(uri, end + 1)) return undefined;
  const itemClass = uri.slice(0, end + 1);
  let link = sgtinClasses.get(itemClass);
  if (link === undefined) {
    if (sgtinClasses.size >= SGTIN_CLASS_LIMIT) sgtinClasses.clear();
    link = classLink(itemClass);
    sgtinClasses.set(itemClass, link);
  }
  return link === null ? undefined : link + uri.slice(end + 1);
}

/** The link of the class's item with serial 0, less the serial; null when that item has no such link. */
function classLink(itemClass: string): string | null {
  try {
    const link = linkOf(resolve(`${itemClass}0`));
    return link !== null && link.endsWith('/21/0') ? link.slice(0, -1) : null;
  } catch {
    return null;
  }
}

function linkOf(resolved: Resolved): string | null {
  return resolved.type === 'gs1' ? formatCanonicalDigitalLink(resolved.key) : null;
}

/** toDigitalLink by the full parse, remembering nothing and taking no shortcut (what the shortcuts must agree with). */
export function toDigitalLinkUncached(uri: string): string | undefined {
  return linkOf(resolve(uri)) ?? undefined;
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
