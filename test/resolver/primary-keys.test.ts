import t from 'tap'
import { gs1CheckDigit } from '../../src/identifiers/index.js'
import { keyLevels, parseKeyPath } from '../../src/resolver/key-levels.js'
import { PRIMARY_KEY_AIS } from '../../src/resolver/primary-keys.js'
import { build } from '../helper.js'
import { linkHeader, register } from './helpers.js'

const withCheckDigit = (body: string) => body + gs1CheckDigit(body)

/** A valid key, with qualifiers where the key needs them, for every GS1 primary key. */
const samples: Record<string, string> = {
  '00': withCheckDigit('09506000134352000'),
  '01': '09506000134352/22/V2/10/L1/21/S1',
  '253': '9506000134352ABC',
  '255': '95060001343521',
  '401': '9506000ABC',
  '402': withCheckDigit('9506000134352000'),
  '414': '9506000134352/254/DOCK-1',
  '415': '9506000134352/8020/INV1',
  '417': '9506000134352/7040/1A23',
  '8003': '09506000134352S1',
  '8004': '9506000ABC/7040/1A23',
  '8006': '095060001343520102/22/V2/10/L1/21/S1',
  '8010': '9506000ABC/8011/12',
  '8013': '1987654Ad4X4bL5ttr2310c2K',
  '8017': withCheckDigit('95060001343520000') + '/8019/3',
  '8018': withCheckDigit('95060001343520000') + '/8019/3',
}

t.test('the primary keys are those of the GS1 Syntax Dictionary', async (t) => {
  t.same([...PRIMARY_KEY_AIS].sort(), Object.keys(samples).sort())
})

t.test('levels walk up from the most granular key to the primary key', async (t) => {
  const levels = keyLevels(parseKeyPath('/01/09506000134352/22/V2/10/L1/21/S1/?17=251231'))
  t.same(levels.map((l) => l.path), [
    '/01/09506000134352/22/V2/10/L1/21/S1',
    '/01/09506000134352/22/V2/10/L1',
    '/01/09506000134352/22/V2',
    '/01/09506000134352',
  ])
  t.same(levels.map((l) => l.key), [
    'https://id.gs1.org/01/09506000134352/21/S1',
    'https://id.gs1.org/01/09506000134352/10/L1',
    'https://id.gs1.org/01/09506000134352',
    'https://id.gs1.org/01/09506000134352',
  ], 'the keys capture stores (CPV dropped, lot dropped beside a serial)')
  t.same(levels.map((l) => l.kind), ['instance', 'class', 'class', 'class'])
  t.same(keyLevels(parseKeyPath('/414/9506000134352/254/0')).map((l) => l.kind), ['location', 'location'])
})

t.test('every primary key, with every qualifier it takes, resolves; each level has its own links', async (t) => {
  const app = await build(t, { CAPTURE_WORKER_CONCURRENCY: 0 })
  for (const [ai, sample] of Object.entries(samples)) {
    const path = `/${ai}/${sample}`
    const before = await app.inject({ method: 'GET', url: path })
    t.equal(before.statusCode, 404, `${path}: nothing known yet`)
    t.ok(linkHeader(before).some((l) => l.rel === 'linkset'), `${path}: answered by the resolver`)
    const primary = `/${ai}/${sample.split('/')[0]}`
    await register(app, primary, { itemDescription: ai, links: [{ linkType: 'gs1:pip', href: `https://example.com${primary}`, title: ai }] })
    const after = await app.inject({ method: 'HEAD', url: path })
    t.equal(after.statusCode, 307, `${path}: walks up to ${primary}`)
    t.equal(after.headers.location, `https://example.com${primary}`)
    const preflight = await app.inject({ method: 'OPTIONS', url: path })
    t.equal(preflight.statusCode, 204)
  }
})
