import t from 'tap'
import { addInterval, covered, intersect } from '../../src/traceability/intervals.js'

t.test('intervals', async (t) => {
  t.same(intersect({ from: 1, to: 5 }, { from: 3, to: Infinity }), { from: 3, to: 5 })
  t.same(intersect({ from: 1, to: 2 }, { from: 2, to: 3 }), { from: 2, to: 2 }, 'ends are included')
  t.equal(intersect({ from: 1, to: 2 }, { from: 3, to: 4 }), undefined)
  const list = [{ from: 1, to: 2 }]
  t.equal(addInterval(list, { from: 5, to: 6 }), true)
  t.equal(addInterval(list, { from: 1.5, to: 2 }), false, 'covered')
  t.equal(addInterval(list, { from: 2, to: 5 }), true)
  t.same(list, [{ from: 1, to: 6 }], 'merged')
  t.equal(covered(list, { from: 0, to: 3 }), false)
})
