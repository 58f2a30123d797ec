import { encodeDigitalLinkValue } from './percent-encoding.js';

export interface AiElement {
  readonly ai: string;
  readonly value: string;
}

/** A GS1 primary key with its key qualifiers: what a Digital Link path or an EPC URN identifies. */
export interface Gs1Key {
  readonly primary: AiElement;
  readonly qualifiers: readonly AiElement[];
}

export type IdentifierKind = 'instance' | 'class' | 'location' | 'party' | 'other';

export const CANONICAL_DL_ORIGIN = 'https://id.gs1.org';

/**
 * Reduces a key to the identity EPCIS cares about, as the CBV 2.0 event-hash normaliser does:
 * the consumer product variant (22) is dropped, so is the batch/lot (10) when a serial (21)
 * identifies the instance, and an SGLN extension "0" means "no extension" (TDS).
 */
export function reduceToIdentity(key: Gs1Key): Gs1Key {
  const { primary, qualifiers } = key;
  if (qualifiers.length === 0) return key;
  let reduced = qualifiers;
  if (primary.ai === '01' || primary.ai === '8006') {
    const hasSerial = qualifiers.some((element) => element.ai === '21');
    if (qualifiers.some((element) => element.ai === '22' || (hasSerial && element.ai === '10'))) {
      reduced = qualifiers.filter((element) => element.ai !== '22' && !(hasSerial && element.ai === '10'));
    }
  } else if (primary.ai === '414') {
    if (qualifiers.some((element) => element.ai === '254' && element.value === '0')) {
      reduced = qualifiers.filter((element) => !(element.ai === '254' && element.value === '0'));
    }
  }
  return reduced === qualifiers || reduced.length === qualifiers.length ? key : { primary, qualifiers: reduced };
}

export function formatCanonicalDigitalLink(key: Gs1Key, encode: (value: string) => string = encodeDigitalLinkValue): string {
  let uri = `${CANONICAL_DL_ORIGIN}/${key.primary.ai}/${encode(key.primary.value)}`;
  for (const element of key.qualifiers) uri += `/${element.ai}/${encode(element.value)}`;
  return uri;
}

export function qualifierValue(key: Gs1Key, ai: string): string | undefined {
  for (const element of key.qualifiers) if (element.ai === ai) return element.value;
  return undefined;
}

/** Keys whose AI value carries an optional serial component after a fixed-length part. */
const SERIAL_AFTER: Readonly<Record<string, number>> = { '8003': 14, '253': 13, '255': 13 };

export function keyKind(key: Gs1Key): IdentifierKind {
  const { ai, value } = key.primary;
  switch (ai) {
    case '414':
      return 'location';
    case '417':
    case '415':
      return 'party';
    case '01':
    case '8006':
      return qualifierValue(key, '21') !== undefined || qualifierValue(key, '235') !== undefined ? 'instance' : 'class';
    case '8010':
      return qualifierValue(key, '8011') !== undefined ? 'instance' : 'class';
    case '8013':
      return 'class';
    default: {
      const fixed = SERIAL_AFTER[ai];
      return fixed !== undefined && value.length <= fixed ? 'class' : 'instance';
    }
  }
}

/** For an instance of a key that has a class level (GTIN, ITIP, GRAI, GDTI, GCN, CPID), that class key. */
export function classKeyOf(key: Gs1Key): Gs1Key | undefined {
  if (keyKind(key) !== 'instance') return undefined;
  const { ai, value } = key.primary;
  if (ai === '01' || ai === '8006' || ai === '8010') return { primary: key.primary, qualifiers: [] };
  const fixed = SERIAL_AFTER[ai];
  return fixed === undefined ? undefined : { primary: { ai, value: value.slice(0, fixed) }, qualifiers: [] };
}
