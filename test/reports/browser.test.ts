import { join } from 'node:path'
import t from 'tap'
import { desktop, SCREENSHOTS } from '../consumer-page/browser.js'
import { build } from '../helper.js'
import { bearer } from '../security/fixtures.js'
import { loadGapChain, PERIOD } from './gap-chain.js'

t.test('an officer opens the chain and activity reports in a browser: charts without script, Vietnamese then English', async (t) => {
  const app = await build(t)
  const world = await loadGapChain(app)
  const origin = await app.listen({ host: '127.0.0.1', port: 0 })
  const context = await desktop(t, 'vi-VN')
  // A Vietnamese officer's browser; English is one click away (lang=en outranks Accept-Language).
  await context.setExtraHTTPHeaders(bearer(world.authority))
  const page = await context.newPage()
  const period = `from=${encodeURIComponent(PERIOD.from)}&to=${encodeURIComponent(PERIOD.to)}`

  const response = await page.goto(`${origin}/reports/chain?${period}`)
  t.equal(response?.status(), 200)
  t.equal(await page.getAttribute('html', 'lang'), 'vi', 'Vietnamese')
  t.equal(await page.locator('h1').innerText(), 'Báo cáo liên kết chuỗi (một bước trước, một bước sau)')
  t.equal(await page.evaluate('document.scripts.length'), 0, 'no JavaScript')
  t.equal(await page.locator('figure.chart svg rect').count(), 7, 'one completeness bar per organisation')
  const gaps = await page.locator('#gaps tbody tr').allInnerTexts()
  t.equal(gaps.length, 3)
  t.match(gaps[0], /Thiếu bước giao hàng\s+distributor/)
  t.match(gaps[1], /Thiếu bước nhận hàng\s+supermarketB/)
  t.match(gaps[2], /Không truy được nguồn gốc\s+farmB/)
  await page.screenshot({ path: join(SCREENSHOTS, 'report-chain-vi.png'), fullPage: true })

  await page.getByRole('link', { name: 'English' }).click()
  await page.waitForURL(/lang=en/)
  t.equal(await page.getAttribute('html', 'lang'), 'en')
  t.match(await page.locator('#gaps tbody tr').first().innerText(), /Shipping not recorded\s+distributor/)

  await page.goto(`${origin}/reports/activity?${period}`)
  t.equal(await page.locator('figure.chart').count(), 2, 'events by organisation and by business step')
  t.equal(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth'), true, 'no horizontal scrolling')
  await page.screenshot({ path: join(SCREENSHOTS, 'report-activity-vi.png'), fullPage: true })
  const pdf = await page.pdf({ format: 'A4' })
  t.ok(pdf.subarray(0, 5).toString() === '%PDF-', 'the page prints')
})
