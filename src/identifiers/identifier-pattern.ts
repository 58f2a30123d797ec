import { canonicalIdentifier } from './canonical-identifier.js';
import { ComponentError, companyPrefix, splitComponents } from './epc-components.js';
import { EPC_SCHEMES, NON_GS1_EPC_SCHEMES } from './epc-schemes.js';
import { epcError, isEpcUrn, splitEpcUrn, tagBaseScheme, tagIdentityBody } from './epc-urn.js';
import { CANONICAL_DL_ORIGIN, type Gs1Key } from './gs1-key.js';
import { encodeDigitalLinkValue } from './percent-encoding.js';

export type IdentifierPatternMatch = { readonly exact: string } | { readonly like: string };

/**
 * What the pattern is matched against. Instance-level columns (epcList, parentID, ...) hold
 * serialised keys, class-level ones (epcClass) hold class keys; undefined means either, and gives
 * patterns that match both where the key has a fixed length.
 */
export type PatternLevel = 'instance' | 'class';

const TWO_DIGITS = /^\d\d$/;
const NON_GS1_COMPONENTS: Readonly<Record<string, number>> = { gid: 3, usdod: 2, adi: 3 };

/** Escapes a literal for SQL LIKE with the default escape character, backslash. */
export function escapeLike(text: string): string {
  let out = '';
  for (const char of text) out += char === '%' || char === '_' || char === '\\' ? `\\${char}` : char;
  return out;
}

const wild = (count: number) => '_'.repeat(Math.max(count, 0));

/**
 * Turns an EPCIS MATCH_* query value into a condition on canonical keys. An identifier (EPC URN,
 * Digital Link or any other URI) gives its exact canonical key. An EPC pattern URI
 * (urn:epc:idpat:<scheme>:..., TDS pattern grammar: literal components then "*" components) gives
 * a SQL LIKE pattern over canonical keys, escaped for `LIKE ... ESCAPE '\'` (PostgreSQL's default).
 *
 * Because canonical keys are Digital Links, a GS1 Company Prefix in a pattern can only be matched
 * by position: for variable-length keys (GIAI, GINC, CPID) `CP.*` also matches keys whose longer
 * company prefix begins with CP.
 */
export function identifierPattern(pattern: string, level?: PatternLevel): IdentifierPatternMatch {
  if (isEpcUrn(pattern)) {
    const { kind, scheme, body } = splitEpcUrn(pattern);
    if (kind === 'idpat') return epcPattern(pattern, scheme, body, level);
    if (kind === 'pat') {
      const base = tagBaseScheme(scheme);
      return epcPattern(pattern, base, tagIdentityBody(pattern, base, body), level);
    }
  }
  return { exact: canonicalIdentifier(pattern) };
}

function epcPattern(pattern: string, scheme: string, body: string, level: PatternLevel | undefined): IdentifierPatternMatch {
  const epcScheme = EPC_SCHEMES[scheme];
  const count = epcScheme?.components ?? NON_GS1_COMPONENTS[scheme];
  if (count === undefined) {
    throw epcError(pattern, NON_GS1_EPC_SCHEMES.has(scheme) ? `no pattern syntax for ${scheme}` : `unknown EPC scheme "${scheme}"`);
  }
  const parts = splitComponents(body, count);
  if (!parts) throw epcError(pattern, `a ${scheme} pattern has ${count} dot-separated components`);
  const firstStar = parts.indexOf('*');
  if (firstStar < 0) return { exact: canonicalIdentifier(`urn:epc:id:${scheme}:${body}`) };
  if (parts.slice(firstStar).some((part) => part !== '*')) {
    throw epcError(pattern, 'in an EPC pattern every component after a "*" must be "*"');
  }
  if (!epcScheme) {
    return { like: `urn:epc:id:${scheme}:${parts.map((part) => (part === '*' ? '%' : escapeLike(part))).join('.')}` };
  }
  try {
    return gs1Pattern(scheme, parts, firstStar, level);
  } catch (error) {
    if (error instanceof ComponentError) throw epcError(pattern, error.message);
    throw error;
  }
}

/** The primary key value of the class-level key for the literal components before the "*". */
function classValue(scheme: string, literals: readonly string[]): string {
  const classKey: Gs1Key = EPC_SCHEMES[scheme]!.classToKey
    ? EPC_SCHEMES[scheme]!.classToKey!(literals)
    : EPC_SCHEMES[scheme]!.toKey([...literals, 'X']);
  return classKey.primary.value;
}

function gs1Pattern(scheme: string, parts: readonly string[], firstStar: number, level: PatternLevel | undefined): IdentifierPatternMatch {
  const cp = firstStar > 0 ? companyPrefix(parts[0]!) : undefined;
  const like = (path: string) => ({ like: `${CANONICAL_DL_ORIGIN}${path}` });
  const instanceSuffix = (qualifier: string) => (level === 'instance' ? `/${qualifier}/%` : '%');
  /** A fixed-length numeric key: company prefix at `offset`, `length` digits in all. */
  const numericKey = (value: () => string, offset: number, length: number) => {
    if (firstStar >= 2) return value();
    if (cp !== undefined) return wild(offset) + cp + wild(length - offset - cp.length);
    return wild(length);
  };

  switch (scheme) {
    case 'sgtin':
    case 'upui':
    case 'itip': {
      const gtin = numericKey(() => classValue('sgtin', parts.slice(0, 2)), 1, 14);
      if (scheme === 'itip') {
        const pieces = firstStar >= 4 ? classValue('itip', parts.slice(0, 4)).slice(14) : firstStar === 3 ? `${parts[2]}__` : '____';
        if (firstStar === 3 && !TWO_DIGITS.test(parts[2]!)) throw new ComponentError(`the piece number "${parts[2]}" must be 2 digits`);
        return like(`/8006/${gtin}${pieces}${instanceSuffix('21')}`);
      }
      if (scheme === 'upui' && level !== 'class') return like(`/01/${gtin}/235/%`);
      return like(`/01/${gtin}${instanceSuffix('21')}`);
    }
    case 'sscc':
      return like(`/00/${numericKey(() => '', 1, 18)}`);
    case 'sgln':
      return like(`/414/${numericKey(() => classValue('sgln', parts.slice(0, 2)), 0, 13)}%`);
    case 'pgln':
      return like(`/417/${numericKey(() => '', 0, 13)}`);
    case 'gsrn':
    case 'gsrnp':
      return like(`/${scheme === 'gsrn' ? '8018' : '8017'}/${numericKey(() => '', 0, 18)}`);
    case 'gsin':
      return like(`/402/${numericKey(() => '', 0, 17)}`);
    case 'grai':
    case 'gdti':
    case 'sgcn': {
      const ai = scheme === 'grai' ? '8003' : scheme === 'gdti' ? '253' : '255';
      const offset = scheme === 'grai' ? 1 : 0;
      const value = numericKey(() => classValue(scheme, parts.slice(0, 2)), offset, offset + 13);
      const prefix = scheme === 'grai' && firstStar < 2 ? `0${value.slice(1)}` : value;
      return like(`/${ai}/${prefix}${level === 'instance' ? '_%' : '%'}`);
    }
    case 'giai':
    case 'ginc':
      return like(`/${scheme === 'giai' ? '8004' : '401'}/${cp === undefined ? '%' : `${cp}_%`}`);
    case 'cpi': {
      if (firstStar < 2) return like(`/8010/${cp === undefined ? '%' : `${cp}_%`}`);
      const cpid = escapeLike(encodeDigitalLinkValue(classValue('cpi', parts.slice(0, 2))));
      return level === 'class' ? { exact: `${CANONICAL_DL_ORIGIN}/8010/${cpid}` } : like(`/8010/${cpid}/8011/%`);
    }
    default:
      throw new ComponentError(`no pattern support for ${scheme}`);
  }
}
