import t from 'tap'
import { recallCsv } from '../../src/traceability/recall-csv.js'
import type { RecallAnswer } from '../../src/traceability/service.js'

const GTIN = 'https://id.gs1.org/01/08934567123457'

t.test('recall CSV: header, quoting, formula guard', async (t) => {
  const answer: RecallAnswer = {
    root: 'https://id.gs1.org/01/08934567123457/10/L1',
    items: [
      { id: `${GTIN}/21/1`, kind: 'instance', depth: 1, productName: 'Thịt "heo", 500 g', shippedTo: ['a', 'b'] },
      { id: `${GTIN}/21/2`, kind: 'instance', depth: 1, productName: '=HYPERLINK("x")', shippedTo: [] },
    ],
    locations: [],
    parties: [],
    erroneousEvents: [],
    truncated: false,
  }
  const csv = recallCsv(answer)
  t.ok(csv.startsWith('\uFEFFid,epcUrn,kind,productName,'))
  const lines = csv.slice(1).split('\r\n')
  t.equal(lines.length, 4, 'header, two rows, final line end')
  t.match(lines[1], /^https:\/\/id\.gs1\.org\/01\/08934567123457\/21\/1,,instance,"Thịt ""heo"", 500 g",,1,/)
  t.match(lines[1], /,a b$/)
  t.match(lines[2], /,"'=HYPERLINK\(""x""\)",/)
})
