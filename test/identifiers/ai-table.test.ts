import t from 'tap';
import { aiDefinition, describeAi } from '../../src/identifiers/ai-table.js';
import { AI_TABLE, SYNTAX_DICTIONARY_RELEASE } from '../../src/identifiers/ai-table.generated.js';
import { DICTIONARY_PATH, GENERATED_TABLE_PATH, renderAiTableModule } from '../../src/identifiers/ai-table-render.js';
import { parseSyntaxDictionary } from '../../src/identifiers/syntax-dictionary.js';
import { readProjectFile } from './fixtures.js';

t.test('the committed AI table is what the generator makes from the vendored dictionary', async (t) => {
  const regenerated = renderAiTableModule(readProjectFile(DICTIONARY_PATH));
  t.ok(regenerated === readProjectFile(GENERATED_TABLE_PATH), `${GENERATED_TABLE_PATH} is stale: run npx tsx scripts/generate-ai-table.ts`);
  t.match(readProjectFile(GENERATED_TABLE_PATH), /Do not edit/);
});

t.test('dictionary entries are parsed with their components and attributes', async (t) => {
  t.equal(SYNTAX_DICTIONARY_RELEASE, '2026-01-27');
  const dataLines = readProjectFile(DICTIONARY_PATH)
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('#'));
  t.equal(AI_TABLE.length, dataLines.length, 'one entry per dictionary line');

  const gtin = aiDefinition('01')!;
  t.same(gtin.components, [{ cset: 'N', min: 14, max: 14, optional: false, linters: ['csum', 'gcppos2'] }]);
  t.same(gtin.dlPrimaryKey, [['22', '10', '21'], ['235']]);
  t.ok(gtin.fixedLength);
  t.equal(gtin.title, 'GTIN');

  const grai = aiDefinition('8003')!;
  t.same(grai.components.map((c) => [c.cset, c.min, c.max, c.optional, c.linters]), [
    ['N', 1, 1, false, ['zero']],
    ['N', 13, 13, false, ['csum', 'gcppos1']],
    ['X', 1, 16, true, []],
  ]);
  t.same(grai.dlPrimaryKey, [[]], 'bare dlpkey: primary key without qualifiers');

  t.same(aiDefinition('414')!.dlPrimaryKey, [['254'], ['7040']]);
  t.equal(aiDefinition('21')!.dlPrimaryKey, null);
  t.same(aiDefinition('21')!.req, [['01', '03', '8006']]);
  t.same(aiDefinition('250')!.req, [['01', '8006'], ['21']], 'repeated req attributes are kept apart');
  t.same(aiDefinition('3103')!.ex, ['310n']);
  t.notOk(aiDefinition('3106'), 'ranges expand to their listed AIs only');
  t.ok(aiDefinition('91') && aiDefinition('99'));
  t.same(aiDefinition('423')!.components.map((c) => c.optional), [false, true, true, true, true]);
  t.notOk(aiDefinition('21')!.dlAttribute);
  t.ok(aiDefinition('10')!.dlAttribute);
  t.equal(describeAi('8004'), '(8004) GIAI');
});

t.test('the parser rejects malformed lines', async (t) => {
  t.throws(() => parseSyntaxDictionary('01  *?  Q14'), /line 1/);
  t.throws(() => parseSyntaxDictionary('01  *?  N14 bogus=1'), /unknown attribute/);
});
