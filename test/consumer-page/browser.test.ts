import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { PNG } from 'pngjs'
import t, { type Test } from 'tap'
import { build } from '../helper.js'
import { phone, SCREENSHOTS } from './browser.js'
import { loadScenario, LOT_P01_PATH, PLACE_NAMES, PRODUCT_IMAGE, PRODUCT_NAME } from './scenario.js'
import { PORK_GTIN } from '../traceability/pork-chain.js'

/** A plain picture for the product image URL, served by the browser itself (the test never goes online). */
function productPicture(): Buffer {
  const png = new PNG({ width: 320, height: 200 })
  for (let i = 0; i < png.data.length; i += 4) png.data.set([232, 160, 150, 255], i)
  return PNG.sync.write(png)
}

const timeline = (page: Page) => page.locator('ol.timeline li').allInnerTexts()

/** Fits the phone: nothing wider than the screen, no script on the page. */
async function phoneReady(t: Test, page: Page): Promise<void> {
  // Expressions run in the page (the project compiles without the DOM library).
  t.equal(await page.evaluate('document.scripts.length'), 0, 'no JavaScript')
  t.equal(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth'), true, 'no horizontal scrolling')
}

t.test('a shopper scans the pack: the Digital Link leads through the resolver to the page, in Vietnamese and English', async (t) => {
  const app = await build(t)
  await loadScenario(app)
  const origin = await app.listen({ host: '127.0.0.1', port: 0 })

  const context = await phone(t, 'vi-VN')
  await context.route(PRODUCT_IMAGE, (route) => route.fulfill({ status: 200, contentType: 'image/png', body: productPicture() }))
  const page = await context.newPage()

  const digitalLink = `${origin}${LOT_P01_PATH}`
  const response = await page.goto(digitalLink)
  t.equal(response?.status(), 200)
  t.equal(response?.request().redirectedFrom()?.url(), digitalLink, 'the QR code’s Digital Link was the first request')
  t.equal(page.url(), `${origin}/traceability/page${LOT_P01_PATH}`, 'the resolver’s default link is the page')

  t.equal(await page.getAttribute('html', 'lang'), 'vi')
  t.equal(await page.locator('h1').innerText(), PRODUCT_NAME.vi)
  t.equal(await page.evaluate(`document.querySelector('img.product').naturalWidth`), 320, 'the product image is shown')
  const vietnamese = await timeline(page)
  t.ok(vietnamese.some((step) => step.includes(PLACE_NAMES.farmA.vi)), 'the farm')
  t.ok(vietnamese.some((step) => step.includes('Giết mổ') && step.includes(PLACE_NAMES.slaughterhouse.vi)), 'the processing')
  t.ok(vietnamese.some((step) => step.includes(PLACE_NAMES.supermarketA.vi)), 'the store')
  await phoneReady(t, page)
  await page.screenshot({ path: join(SCREENSHOTS, 'consumer-page-vi.png'), fullPage: true })

  await page.getByRole('link', { name: 'English' }).click()
  await page.waitForURL(/lang=en/)
  t.equal(await page.getAttribute('html', 'lang'), 'en')
  t.equal(await page.locator('h1').innerText(), PRODUCT_NAME.en)
  const english = await timeline(page)
  t.ok(english.some((step) => step.includes(PLACE_NAMES.farmA.en)), 'the farm')
  t.ok(english.some((step) => step.includes('Slaughtered') && step.includes(PLACE_NAMES.slaughterhouse.en)), 'the processing')
  t.ok(english.some((step) => step.includes(PLACE_NAMES.supermarketA.en)), 'the store')
  t.equal(english.length, vietnamese.length, 'the same journey')
  await phoneReady(t, page)
  await page.screenshot({ path: join(SCREENSHOTS, 'consumer-page-en.png'), fullPage: true })

  const unknown = await page.goto(`${origin}/traceability/page/01/09506000134352/10/NOPE`)
  t.equal(unknown?.status(), 404)
  t.equal(await page.locator('h1').innerText(), 'Không tìm thấy sản phẩm')
  await page.screenshot({ path: join(SCREENSHOTS, 'consumer-page-unknown.png'), fullPage: true })
})

t.test('an English-speaking phone gets the English page straight away', async (t) => {
  const app = await build(t)
  await loadScenario(app)
  const origin = await app.listen({ host: '127.0.0.1', port: 0 })
  const page = await (await phone(t, 'en-US')).newPage()
  const response = await page.goto(`${origin}${LOT_P01_PATH}`)
  t.equal(response?.status(), 200)
  t.equal(await page.getAttribute('html', 'lang'), 'en')
  t.ok((await timeline(page)).some((step) => step.includes(PLACE_NAMES.supermarketA.en)))
})

/** How many lines the text of an element takes on the screen. */
const linesOf = (page: Page, selector: string) =>
  page.evaluate(`(() => {
    const range = document.createRange()
    range.selectNodeContents(document.querySelector(${JSON.stringify(selector)}))
    return new Set([...range.getClientRects()].map((rect) => Math.round(rect.top))).size
  })()`)

t.test('at 390 px the 14-digit GTIN stays on one line', async (t) => {
  const app = await build(t)
  await loadScenario(app)
  const origin = await app.listen({ host: '127.0.0.1', port: 0 })
  for (const locale of ['vi-VN', 'en-US']) {
    const page = await (await phone(t, locale)).newPage()
    t.equal((await page.goto(`${origin}/traceability/page${LOT_P01_PATH}`))?.status(), 200)
    t.equal(await page.evaluate('window.innerWidth'), 390)
    const gtin = page.locator('section.product dd', { hasText: PORK_GTIN })
    t.equal(await gtin.innerText(), PORK_GTIN)
    await gtin.evaluate((element: unknown) => ((element as { id: string }).id = 'the-gtin'))
    t.equal(await linesOf(page, '#the-gtin'), 1, `${locale}: the GTIN is not broken`)
    await phoneReady(t, page)
    await page.screenshot({ path: join(SCREENSHOTS, `consumer-page-gtin-${locale}.png`), fullPage: true })
  }
})

t.test('a phone that scans a code with a bad check digit gets a friendly page, still a 400', async (t) => {
  const app = await build(t)
  const origin = await app.listen({ host: '127.0.0.1', port: 0 })
  const page = await (await phone(t, 'vi-VN')).newPage()
  const badCheckDigit = `${origin}/01/09506000134353/10/LOT1`
  const response = await page.goto(badCheckDigit)
  t.equal(response?.status(), 400)
  t.match(response?.headers()['content-type'], /^text\/html/)
  t.equal(await page.locator('h1').innerText(), 'Mã không hợp lệ')
  t.match(await page.locator('main').innerText(), /số kiểm tra sai/)
  await phoneReady(t, page)
  await page.screenshot({ path: join(SCREENSHOTS, 'consumer-page-bad-check-digit.png'), fullPage: true })
  await page.getByRole('link', { name: 'English' }).click()
  await page.waitForURL(/lang=en/)
  t.equal(await page.locator('h1').innerText(), 'Invalid code')
})
