import t from 'tap'
import { failuresIn } from '../../scripts/failed-tests.js'

t.test('failuresIn keeps each not-ok line with its diagnostics and nothing that passed', async (t) => {
  const tap = [
    '# Subtest: outer',
    '    ok 1 - fine',
    '    not ok 2 - one is two',
    '      ---',
    '      found: 1',
    '      wanted: 2',
    '      ...',
    '    ok 3 - fine again',
    '    1..3',
    'not ok 1 - outer',
    '1..1',
  ].join('\n')
  t.same(failuresIn(tap), [
    '    not ok 2 - one is two\n      ---\n      found: 1\n      wanted: 2\n      ...',
    'not ok 1 - outer',
  ])
  t.same(failuresIn('ok 1 - fine\n1..1\n'), [])
})
