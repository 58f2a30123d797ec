import type { ResolverLink } from './link-choice.js'

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char]!)
}

/** The human-readable body of a 300 Multiple Choices answer. */
export function choicesPage(itemDescription: string, links: readonly ResolverLink[]): string {
  const items = links
    .map((link) => {
      const languages = link.hreflang?.length ? ` <small>(${escapeHtml(link.hreflang.join(', '))})</small>` : ''
      return `<li><a href="${escapeHtml(link.href)}">${escapeHtml(link.title)}</a>${languages}</li>`
    })
    .join('\n')
  return `<!DOCTYPE html>
<html lang="vi">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(itemDescription)}</title></head>
<body>
<h1>${escapeHtml(itemDescription)}</h1>
<p>Chọn một liên kết / Choose a link:</p>
<ul>
${items}
</ul>
</body>
</html>
`
}
