import {
  companyPrefix,
  cpRef,
  gs3a3,
  keyWithCheckDigit,
  keyWithLeadingDigit,
  numeric,
  paddedNumeric,
  reference,
} from './epc-components.js';
import type { AiElement, Gs1Key } from './gs1-key.js';

/**
 * EPC schemes of the GS1 Tag Data Standard 2.x whose pure identity URNs correspond to GS1 keys
 * (TDS section 7, "Correspondence between EPCs and GS1 Keys"). `toKey` reads the components of
 * `urn:epc:id:<name>:...`; `classToKey`, where present, reads the components before the final "*"
 * of `urn:epc:idpat:<name>:...`, which EPCIS/CBV use as the class-level identifier.
 */
export interface EpcScheme {
  readonly components: number;
  readonly toKey: (parts: readonly string[]) => Gs1Key;
  readonly classToKey?: (parts: readonly string[]) => Gs1Key;
}

function key(primary: AiElement, ...qualifiers: AiElement[]): Gs1Key {
  return { primary, qualifiers };
}

function gtin(parts: readonly string[]): string {
  const cp = companyPrefix(parts[0]!);
  return keyWithLeadingDigit(cp, reference(cp, parts[1]!, 13, 'indicator digit and item reference', false));
}

/** Company prefix + reference + check digit, for keys with `total` digits before the check digit. */
function checkDigitKey(parts: readonly string[], total: number, what: string): string {
  const cp = companyPrefix(parts[0]!);
  return keyWithCheckDigit(cp, reference(cp, parts[1]!, total, what, true));
}

function itip(parts: readonly string[]): string {
  return gtin(parts) + paddedNumeric(parts[2]!, 'piece number', 2) + paddedNumeric(parts[3]!, 'total count', 2);
}

function grai(parts: readonly string[]): string {
  return '0' + checkDigitKey(parts, 12, 'asset type');
}

function cpid(parts: readonly string[]): string {
  return companyPrefix(parts[0]!) + cpRef(parts[1]!);
}

export const EPC_SCHEMES: Readonly<Record<string, EpcScheme>> = {
  sgtin: {
    components: 3,
    toKey: (p) => key({ ai: '01', value: gtin(p) }, { ai: '21', value: gs3a3(p[2]!, 'serial number') }),
    classToKey: (p) => key({ ai: '01', value: gtin(p) }),
  },
  sscc: {
    components: 2,
    toKey: (p) => {
      const cp = companyPrefix(p[0]!);
      return key({ ai: '00', value: keyWithLeadingDigit(cp, reference(cp, p[1]!, 17, 'extension digit and serial reference', false)) });
    },
  },
  sgln: {
    components: 3,
    toKey: (p) => {
      const gln = { ai: '414', value: checkDigitKey(p, 12, 'location reference') };
      const extension = gs3a3(p[2]!, 'extension');
      return extension === '0' ? key(gln) : key(gln, { ai: '254', value: extension });
    },
  },
  grai: {
    components: 3,
    toKey: (p) => key({ ai: '8003', value: grai(p) + gs3a3(p[2]!, 'serial number') }),
    classToKey: (p) => key({ ai: '8003', value: grai(p) }),
  },
  giai: {
    components: 2,
    toKey: (p) => key({ ai: '8004', value: companyPrefix(p[0]!) + gs3a3(p[1]!, 'individual asset reference') }),
  },
  gsrn: {
    components: 2,
    toKey: (p) => key({ ai: '8018', value: checkDigitKey(p, 17, 'service reference') }),
  },
  gsrnp: {
    components: 2,
    toKey: (p) => key({ ai: '8017', value: checkDigitKey(p, 17, 'service reference') }),
  },
  gdti: {
    components: 3,
    toKey: (p) => key({ ai: '253', value: checkDigitKey(p, 12, 'document type') + gs3a3(p[2]!, 'serial number') }),
    classToKey: (p) => key({ ai: '253', value: checkDigitKey(p, 12, 'document type') }),
  },
  cpi: {
    components: 3,
    toKey: (p) => key({ ai: '8010', value: cpid(p) }, { ai: '8011', value: numeric(p[2]!, 'serial number') }),
    classToKey: (p) => key({ ai: '8010', value: cpid(p) }),
  },
  sgcn: {
    components: 3,
    toKey: (p) => key({ ai: '255', value: checkDigitKey(p, 12, 'coupon reference') + paddedNumeric(p[2]!, 'serial component') }),
    classToKey: (p) => key({ ai: '255', value: checkDigitKey(p, 12, 'coupon reference') }),
  },
  ginc: {
    components: 2,
    toKey: (p) => key({ ai: '401', value: companyPrefix(p[0]!) + gs3a3(p[1]!, 'consignment reference') }),
  },
  gsin: {
    components: 2,
    toKey: (p) => key({ ai: '402', value: checkDigitKey(p, 16, 'shipper reference') }),
  },
  itip: {
    components: 5,
    toKey: (p) => key({ ai: '8006', value: itip(p) }, { ai: '21', value: gs3a3(p[4]!, 'serial number') }),
    classToKey: (p) => key({ ai: '8006', value: itip(p) }),
  },
  upui: {
    components: 3,
    toKey: (p) => key({ ai: '01', value: gtin(p) }, { ai: '235', value: gs3a3(p[2]!, 'third party controlled serial extension') }),
    classToKey: (p) => key({ ai: '01', value: gtin(p) }),
  },
  pgln: {
    components: 2,
    toKey: (p) => key({ ai: '417', value: checkDigitKey(p, 12, 'party reference') }),
  },
};

/** EPC class schemes (`urn:epc:class:...`). */
export const EPC_CLASS_SCHEMES: Readonly<Record<string, EpcScheme>> = {
  lgtin: {
    components: 3,
    toKey: (p) => key({ ai: '01', value: gtin(p) }, { ai: '10', value: gs3a3(p[2]!, 'batch/lot number') }),
  },
};

/** EPC schemes that are not GS1 keys: valid EPCs, kept as they are. */
export const NON_GS1_EPC_SCHEMES: ReadonlySet<string> = new Set(['gid', 'usdod', 'adi', 'bic', 'imovn']);
