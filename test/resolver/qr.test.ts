import jsQR from 'jsqr'
import { PNG } from 'pngjs'
import t from 'tap'
import { build } from '../helper.js'

const base = 'https://truyxuat.example.vn'

function decodePng(body: Buffer): string | undefined {
  const png = PNG.sync.read(body)
  return jsQR.default(new Uint8ClampedArray(png.data), png.width, png.height)?.data
}

/**
 * Rasterises the SVG the qrcode package draws (a white square and one stroked path of horizontal
 * runs: "M x y.5 h n m dx dy h n ...", one unit per module) and decodes it.
 */
function decodeSvg(svg: string, scale = 6): string | undefined {
  const size = Number(/viewBox="0 0 (\d+) \1"/.exec(svg)?.[1])
  const path = /<path stroke="#000000" d="([^"]+)"/.exec(svg)?.[1] ?? ''
  const dark = new Set<string>()
  let x = 0
  let y = 0
  for (const [, command, args] of path.matchAll(/([MmHhVv])([^MmHhVv]*)/g)) {
    const numbers = args!.trim().split(/[\s,]+/).filter(Boolean).map(Number)
    if (command === 'M') [x, y] = [numbers[0]!, numbers[1]!]
    else if (command === 'm') [x, y] = [x + numbers[0]!, y + numbers[1]!]
    else if (command === 'h') {
      for (let i = 0; i < numbers[0]!; i++) dark.add(`${x + i},${Math.floor(y)}`)
      x += numbers[0]!
    } else throw new Error(`unexpected SVG path command ${command}`)
  }
  const width = size * scale
  const pixels = new Uint8ClampedArray(width * width * 4).fill(255)
  for (const cell of dark) {
    const [cx, cy] = cell.split(',').map(Number) as [number, number]
    for (let dy = 0; dy < scale; dy++) {
      for (let dx = 0; dx < scale; dx++) {
        const at = ((cy * scale + dy) * width + cx * scale + dx) * 4
        pixels[at] = pixels[at + 1] = pixels[at + 2] = 0
      }
    }
  }
  return jsQR.default(pixels, width, width)?.data
}

t.test('QR codes decode back to the same Digital Link, as SVG and PNG, at every error-correction level', async (t) => {
  const app = await build(t, { CAPTURE_WORKER_CONCURRENCY: 0, PUBLIC_BASE_URL: base })
  const uris = [
    'https://id.gs1.org/01/09506000134352/10/LOT1',
    `${base}/01/08934567123457/10/LO-7%2F2?17=251231`,
    `${base}/414/8934567000017/254/KHO-1`,
  ]
  for (const data of uris) {
    for (const errorCorrectionLevel of ['L', 'M', 'Q', 'H']) {
      const query = new URLSearchParams({ data, errorCorrectionLevel })
      const png = await app.inject({ method: 'GET', url: `/qr?${query}&format=png&size=400` })
      t.equal(png.statusCode, 200, png.body.slice(0, 200))
      t.equal(png.headers['content-type'], 'image/png')
      t.equal(decodePng(png.rawPayload), data, `PNG ${errorCorrectionLevel}: ${data}`)
      t.equal(PNG.sync.read(png.rawPayload).width, 400, 'size in pixels')

      const svg = await app.inject({ method: 'GET', url: `/qr?${query}` })
      t.equal(svg.statusCode, 200)
      t.match(svg.headers['content-type'], /^image\/svg\+xml/)
      t.equal(decodeSvg(svg.body), data, `SVG ${errorCorrectionLevel}: ${data}`)
    }
  }
  const low = await app.inject({ method: 'GET', url: `/qr?${new URLSearchParams({ data: uris[0]!, errorCorrectionLevel: 'L' })}` })
  const high = await app.inject({ method: 'GET', url: `/qr?${new URLSearchParams({ data: uris[0]!, errorCorrectionLevel: 'H' })}` })
  const modules = (svg: string) => Number(/viewBox="0 0 (\d+)/.exec(svg)![1])
  t.ok(modules(high.body) > modules(low.body), 'a higher error-correction level needs a larger code')
})

t.test('only valid Digital Links of this resolver or id.gs1.org are drawn', async (t) => {
  const app = await build(t, { CAPTURE_WORKER_CONCURRENCY: 0, PUBLIC_BASE_URL: base })
  const refused = [
    'https://evil.example.com/01/09506000134352',
    'https://id.gs1.org/01/09506000134353', // check digit
    `${base}/events`,
    `${base}/shop/01/09506000134352`, // not at the resolver's root
    '/01/09506000134352',
    'hello',
  ]
  for (const data of refused) {
    const response = await app.inject({ method: 'GET', url: `/qr?${new URLSearchParams({ data })}` })
    t.equal(response.statusCode, 400, data)
    t.equal(response.json().type, 'epcisException:QueryParameterException', data)
  }
  t.equal((await app.inject({ method: 'GET', url: '/qr' })).statusCode, 400, 'data is required')
  t.equal((await app.inject({ method: 'GET', url: `/qr?data=${encodeURIComponent(`${base}/01/09506000134352`)}&format=gif` })).statusCode, 400)
  t.equal((await app.inject({ method: 'GET', url: `/qr?data=${encodeURIComponent(`${base}/01/09506000134352`)}&size=10` })).statusCode, 400)
  t.equal((await app.inject({ method: 'GET', url: `/qr?data=${encodeURIComponent(`${base}/01/09506000134352`)}&errorCorrectionLevel=X` })).statusCode, 400)
})

t.test('without PUBLIC_BASE_URL, the host the request reached', async (t) => {
  const app = await build(t, { CAPTURE_WORKER_CONCURRENCY: 0 })
  const ok = await app.inject({ method: 'GET', url: `/qr?data=${encodeURIComponent('http://qr.example.vn/01/09506000134352')}`, headers: { host: 'qr.example.vn' } })
  t.equal(ok.statusCode, 200)
  const other = await app.inject({ method: 'GET', url: `/qr?data=${encodeURIComponent('http://qr.example.vn/01/09506000134352')}`, headers: { host: 'elsewhere.vn' } })
  t.equal(other.statusCode, 400)
})
