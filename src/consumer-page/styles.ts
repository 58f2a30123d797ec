/** Inline CSS of the consumer page: one column, large type, readable on a phone in sunlight; no external files. */
export const PAGE_CSS = `
*{box-sizing:border-box}
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;font-size:17px;line-height:1.5;color:#1c2421;background:#f4f7f5}
header{background:#1f6f4a;color:#fff;padding:12px 16px;display:flex;justify-content:space-between;align-items:center;gap:12px}
header p{margin:0;font-weight:600}
header a{color:#fff;border:1px solid rgba(255,255,255,.7);border-radius:16px;padding:2px 12px;text-decoration:none;font-size:15px}
main{max-width:640px;margin:0 auto;padding:16px}
section{background:#fff;border-radius:12px;padding:16px;margin:0 0 16px;box-shadow:0 1px 3px rgba(0,0,0,.08)}
h1{font-size:24px;line-height:1.25;margin:0 0 8px}
h2{font-size:19px;margin:0 0 12px}
img.product{display:block;width:100%;max-height:280px;object-fit:contain;border-radius:8px;margin:0 0 12px;background:#eef2ef}
dl{display:grid;grid-template-columns:auto 1fr;gap:4px 12px;margin:12px 0 0}
dt{color:#56625c}
dd{margin:0;font-weight:600;word-break:break-word}
dd.code{white-space:nowrap;word-break:normal;font-variant-numeric:tabular-nums}
dt{overflow-wrap:anywhere}
.alert{border-left:6px solid #c62828;background:#fdecea}
.alert.corrected{border-left-color:#ef8f00;background:#fff4e0}
.alert h2{color:#b71c1c}
.alert.corrected h2{color:#8a5300}
ol.timeline{list-style:none;margin:0;padding:0 0 0 20px;border-left:3px solid #9cc9b0}
ol.timeline li{position:relative;padding:0 0 16px 8px}
ol.timeline li::before{content:"";position:absolute;left:-29px;top:6px;width:14px;height:14px;border-radius:50%;background:#1f6f4a;border:3px solid #fff}
ol.timeline time{display:block;color:#56625c;font-size:15px}
.step{display:block;font-weight:700}
.place{display:block}
.recorder{display:block;font-size:15px;color:#56625c}
.commercial{font-size:15px;color:#3d4a44;margin:4px 0 0;padding:0 0 0 16px}
ul.plain{margin:0;padding:0 0 0 20px}
a{color:#1f6f4a;overflow-wrap:anywhere}
footer{text-align:center;color:#56625c;font-size:14px;padding:8px 16px 24px}
`
