import { escapeHtml } from '../resolver/html.js'
import { dayOf } from './dates.js'
import { PAGE_CSS } from './styles.js'
import type { TimelineEntry } from './timeline.js'
import { textsFor, type PageLanguage, type PageTexts } from './translations.js'
import type { PageModel } from './view-model.js'

/** Where the language switch leads: the same page in the other language. */
export interface LanguageSwitch {
  href: string
  language: PageLanguage
}

const UNITS: Record<string, string> = { CEL: '°C', FAH: '°F', KEL: 'K' }

function decimal(value: string, language: PageLanguage): string {
  return language === 'vi' ? value.replace('.', ',') : value
}

function layout(language: PageLanguage, title: string, languageSwitch: LanguageSwitch, body: string): string {
  const texts = textsFor(language)
  return `<!DOCTYPE html>
<html lang="${language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${PAGE_CSS}</style>
</head>
<body>
<header><p>${escapeHtml(texts.pageTitle)}</p><a class="language-switch" href="${escapeHtml(languageSwitch.href)}" hreflang="${languageSwitch.language}" lang="${languageSwitch.language}">${escapeHtml(texts.switchTo)}</a></header>
<main>
${body}
</main>
<footer>${escapeHtml(texts.footer)}</footer>
</body>
</html>
`
}

function alerts(model: PageModel, texts: PageTexts): string {
  return model.warnings
    .map((warning) => {
      const [title, body] =
        warning === 'recalled' ? [texts.recalledTitle, texts.recalledBody] : [texts.correctedTitle, texts.correctedBody]
      return `<section class="alert ${warning}" role="alert"><h2>${escapeHtml(title)}</h2><p>${escapeHtml(body)}</p></section>`
    })
    .join('\n')
}

/** Codes up to this length (a GTIN-14, a 20-character serial) are kept on one line. */
const UNBROKEN_CODE_LENGTH = 24

function productSection(model: PageModel, texts: PageTexts): string {
  const rows = [...model.identifiers]
  const dateLabels = { expiry: texts.expiry, bestBefore: texts.bestBefore, sellBy: texts.sellBy } as const
  for (const kind of ['expiry', 'bestBefore', 'sellBy'] as const) {
    const value = model.dates[kind]
    if (value) rows.push({ label: dateLabels[kind], value: dayOf(value, model.language) ?? value })
  }
  const image = model.image
    ? `<img class="product" src="${escapeHtml(model.image)}" alt="${escapeHtml(model.productName)}">\n`
    : ''
  const description = model.description ? `<p class="description">${escapeHtml(model.description)}</p>\n` : ''
  const codes = new Set(model.identifiers)
  const list = rows
    .map((r) => {
      // A GTIN or lot breaks between its characters only when it could not fit a phone's column at all.
      const code = codes.has(r) && r.value.length <= UNBROKEN_CODE_LENGTH ? ' class="code"' : ''
      return `<dt>${escapeHtml(r.label)}</dt><dd${code}>${escapeHtml(r.value)}</dd>`
    })
    .join('')
  return `<section class="product">
${image}<h1>${escapeHtml(model.productName)}</h1>
${description}<dl>${list}</dl>
</section>`
}

function commercialList(entry: TimelineEntry, texts: PageTexts): string {
  const c = entry.commercial
  if (!c) return ''
  const items = [
    ...c.transactions.map((t) => `${texts.transaction}: ${t}`),
    ...(c.from.length ? [`${texts.from}: ${c.from.join(', ')}`] : []),
    ...(c.to.length ? [`${texts.to}: ${c.to.join(', ')}`] : []),
  ]
  if (items.length === 0) return ''
  return `<ul class="commercial" aria-label="${escapeHtml(texts.commercial)}">${items.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ul>`
}

function journeySection(model: PageModel, texts: PageTexts): string {
  if (model.journey.length === 0) {
    return `<section class="journey"><h2>${escapeHtml(texts.journey)}</h2><p>${escapeHtml(texts.noJourney)}</p></section>`
  }
  const items = model.journey
    .map((entry) => {
      const place = entry.place ? `<span class="place">${escapeHtml(entry.place)}</span>` : ''
      const recorder = entry.recordedBy ? `<span class="recorder">${escapeHtml(texts.recordedBy(entry.recordedBy))}</span>` : ''
      return `<li><time datetime="${escapeHtml(entry.datetime)}">${escapeHtml(entry.when)}</time><span class="step">${escapeHtml(entry.step)}</span>${place}${recorder}${commercialList(entry, texts)}</li>`
    })
    .join('\n')
  const truncated = model.truncated ? `<p>${escapeHtml(texts.truncated)}</p>` : ''
  return `<section class="journey"><h2>${escapeHtml(texts.journey)}</h2>
<ol class="timeline">
${items}
</ol>${truncated}</section>`
}

function certificationsSection(model: PageModel, texts: PageTexts): string {
  if (model.certifications.length === 0) return ''
  const items = model.certifications
    .map((c) => {
      const uri = escapeHtml(c.uri)
      const text = /^https?:\/\//i.test(c.uri) ? `<a href="${uri}" rel="noopener noreferrer">${uri}</a>` : uri
      return `<li>${text}${c.place ? ` <small>(${escapeHtml(c.place)})</small>` : ''}</li>`
    })
    .join('')
  return `<section class="certifications"><h2>${escapeHtml(texts.certifications)}</h2><ul class="plain">${items}</ul></section>`
}

function coldChainSection(model: PageModel, texts: PageTexts): string {
  if (model.coldChain.length === 0) return ''
  const items = model.coldChain
    .map((r) => {
      const unit = r.uom ? (UNITS[r.uom] ?? r.uom) : ''
      const line = texts.temperature(decimal(r.min, model.language), decimal(r.max, model.language), unit, r.readings)
      return `<li>${escapeHtml(line)}</li>`
    })
    .join('')
  return `<section class="cold-chain"><h2>${escapeHtml(texts.coldChain)}</h2><ul class="plain">${items}</ul></section>`
}

/** The consumer traceability page; every text from data is escaped. */
export function renderPage(model: PageModel, languageSwitch: LanguageSwitch): string {
  const texts = textsFor(model.language)
  const body = [
    alerts(model, texts),
    productSection(model, texts),
    journeySection(model, texts),
    certificationsSection(model, texts),
    coldChainSection(model, texts),
  ]
    .filter((part) => part !== '')
    .join('\n')
  return layout(model.language, `${model.productName} · ${texts.pageTitle}`, languageSwitch, body)
}

/** The friendly answer for a code nothing is known of (sent with 404). */
export function renderUnknown(language: PageLanguage, languageSwitch: LanguageSwitch): string {
  const texts = textsFor(language)
  const body = `<section class="unknown"><h1>${escapeHtml(texts.unknownTitle)}</h1><p>${escapeHtml(texts.unknownBody)}</p></section>`
  return layout(language, texts.unknownTitle, languageSwitch, body)
}

/** A problem (4xx) of a page or resolver request, for a phone's browser: kept with its status code. */
export function renderProblem(language: PageLanguage, languageSwitch: LanguageSwitch, status: number, detail: string | undefined): string {
  const texts = textsFor(language)
  const [title, text] =
    status === 404 ? [texts.unknownTitle, texts.unknownBody] : status === 400 ? [texts.invalidCodeTitle, texts.invalidCodeBody] : [texts.problemTitle, texts.problemBody]
  const technical = detail ? `<p class="detail"><small>${escapeHtml(texts.technicalDetail)}: ${escapeHtml(detail)}</small></p>` : ''
  const body = `<section class="unknown problem"><h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p>${technical}</section>`
  return layout(language, title, languageSwitch, body)
}
