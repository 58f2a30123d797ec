import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type BrowserContext } from 'playwright-core'
import { projectRoot } from '../../src/paths.js'
import type { TestContext } from '../helper.js'

/** Debian's Chromium (apt-get install chromium); playwright-core downloads no browser. */
export const CHROMIUM = '/usr/bin/chromium'
export const SCREENSHOTS = join(projectRoot, 'test-artifacts', 'screenshots')

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

/** A fresh Chromium profile with these options, closed and removed when the test ends. */
async function browserContext(t: TestContext, options: Parameters<typeof chromium.launchPersistentContext>[1]): Promise<BrowserContext> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium package (apt-get install -y chromium)`)
  mkdirSync(SCREENSHOTS, { recursive: true })
  const profile = mkdtempSync(join(tmpdir(), 'nguon-chromium-'))
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: ARGS, headless: true, ...options })
  t.teardown(async () => {
    await context.close()
    rmSync(profile, { recursive: true, force: true })
  })
  return context
}

/** A phone (390 × 844 CSS pixels, 2× density, touch) in a fresh profile, closed and removed when the test ends. */
export async function phone(t: TestContext, locale: string): Promise<BrowserContext> {
  return browserContext(t, { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale })
}

/** An auditor's desktop browser (1280 × 900), as for /docs. */
export async function desktop(t: TestContext, locale = 'en-GB'): Promise<BrowserContext> {
  return browserContext(t, { viewport: { width: 1280, height: 900 }, locale })
}
