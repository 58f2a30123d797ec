import { AI_TABLE } from './ai-table.generated.js';
import type { AiTableEntry } from './ai-table-types.js';

/** A single AI with the dictionary entry that defines it. */
export interface AiDefinition extends AiTableEntry {
  readonly ai: string;
}

const definitions = new Map<string, AiDefinition>();
for (const entry of AI_TABLE) {
  const width = entry.first.length;
  for (let code = Number(entry.first); code <= Number(entry.last); code++) {
    const ai = String(code).padStart(width, '0');
    definitions.set(ai, { ...entry, ai });
  }
}

/** AIs that may follow some Digital Link primary key in the path. */
const qualifierAis = new Set<string>();
for (const definition of definitions.values()) {
  for (const sequence of definition.dlPrimaryKey ?? []) {
    for (const ai of sequence) qualifierAis.add(ai);
  }
}

export function aiDefinition(ai: string): AiDefinition | undefined {
  return definitions.get(ai);
}

export function isDigitalLinkPrimaryKey(ai: string): boolean {
  return definitions.get(ai)?.dlPrimaryKey != null;
}

export function isDigitalLinkQualifier(ai: string): boolean {
  return qualifierAis.has(ai);
}

/** "(01) GTIN" */
export function describeAi(ai: string): string {
  const title = definitions.get(ai)?.title;
  return title ? `(${ai}) ${title}` : `(${ai})`;
}
