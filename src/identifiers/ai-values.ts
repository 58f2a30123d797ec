import { aiDefinition, describeAi } from './ai-table.js';
import type { AiCharacterSet, AiComponentSpec } from './ai-table-types.js';
import { IN_CSET39, IN_CSET64, IN_CSET82, IS_DIGIT, firstCharOutside } from './character-sets.js';
import { LINTERS } from './linters.js';

const BASE64_PADDING = /=+$/;
const CSET_MASK: Record<AiCharacterSet, number> = { N: IS_DIGIT, X: IN_CSET82, Y: IN_CSET39, Z: IN_CSET64 };
const CSET_NAME: Record<AiCharacterSet, string> = {
  N: 'a digit',
  X: 'in the GS1 AI encodable character set 82',
  Y: 'in GS1 character set 39',
  Z: 'in the base64url character set',
};

/**
 * Checks an AI value against its GS1 Barcode Syntax Dictionary definition: character sets,
 * lengths and linters of each component. Returns undefined when valid, otherwise a message that
 * names the AI and the reason.
 */
export function aiValueError(ai: string, value: string): string | undefined {
  const definition = aiDefinition(ai);
  if (!definition) return `(${ai}) is not a known GS1 Application Identifier`;
  const reason = componentsError(definition.components, value);
  return reason === undefined ? undefined : `AI ${describeAi(ai)} value "${value}" ${reason}`;
}

function componentsError(components: readonly AiComponentSpec[], value: string): string | undefined {
  let position = 0;
  for (const component of components) {
    const remaining = value.length - position;
    if (remaining === 0 && (component.optional || position === 0)) {
      if (position === 0) return 'is empty';
      break;
    }
    if (remaining < component.min) return lengthReason(components);
    const part = value.slice(position, position + component.max);
    if (component.cset === 'Z') {
      // base64url: '=' is only allowed as trailing padding
      const unpadded = part.replace(BASE64_PADDING, '');
      const bad = firstCharOutside(unpadded, CSET_MASK.Z);
      if (bad >= 0) return `contains "${unpadded[bad]}", which is not ${CSET_NAME.Z}`;
    } else {
      const bad = firstCharOutside(part, CSET_MASK[component.cset]);
      if (bad >= 0) return `contains "${part[bad]}", which is not ${CSET_NAME[component.cset]}`;
    }
    for (const name of component.linters) {
      const reason = LINTERS[name]?.(part);
      if (reason !== undefined) return reason;
    }
    position += part.length;
  }
  if (position < value.length) return lengthReason(components);
  return undefined;
}

function lengthReason(components: readonly AiComponentSpec[]): string {
  let min = 0;
  let max = 0;
  for (const component of components) {
    if (!component.optional) min += component.min;
    max += component.max;
  }
  const unit = components.every((component) => component.cset === 'N') ? 'digits' : 'characters';
  return min === max ? `must be ${max} ${unit} long` : `must be ${min} to ${max} ${unit} long`;
}
