// Regenerates src/identifiers/ai-table.generated.ts from the vendored GS1 Barcode Syntax Dictionary.
// Usage: npx tsx scripts/generate-ai-table.ts
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DICTIONARY_PATH, GENERATED_TABLE_PATH, renderAiTableModule } from '../src/identifiers/ai-table-render.js';

const root = new URL('../', import.meta.url);
const dictionary = readFileSync(new URL(DICTIONARY_PATH, root), 'utf8');
const target = fileURLToPath(new URL(GENERATED_TABLE_PATH, root));
writeFileSync(target, renderAiTableModule(dictionary));
console.log(`wrote ${GENERATED_TABLE_PATH}`);
