/** Why an event is held: a code stored with the event, and its text in Vietnamese and English. */
export const REASONS = {
  'review-policy': {
    vi: 'Tổ chức áp dụng chính sách duyệt: mọi sự kiện chờ cán bộ duyệt trước khi công bố',
    en: "The organisation's policy is review: every event waits for a reviewer before it is published",
  },
  'foreign-identifier': {
    vi: 'Mã sản phẩm (EPC) không thuộc mã doanh nghiệp GS1 của tổ chức và không được nhận từ một bên nguồn',
    en: "EPCs or EPC classes do not belong to the organisation's GS1 Company Prefixes and were not received from a source party",
  },
  'unknown-biz-location': {
    vi: 'Địa điểm kinh doanh (bizLocation) không có trong dữ liệu chủ',
    en: 'The bizLocation is not a location known in master data',
  },
  'unknown-read-point': {
    vi: 'Điểm đọc (readPoint) không có trong dữ liệu chủ',
    en: 'The readPoint is not a location known in master data',
  },
  'future-event-time': {
    vi: 'Thời điểm sự kiện (eventTime) ở tương lai',
    en: 'The eventTime is in the future',
  },
  'old-event-time': {
    vi: 'Thời điểm sự kiện (eventTime) cũ hơn thời hạn cho phép',
    en: 'The eventTime is older than the allowed age',
  },
  'missing-kde': {
    vi: 'Thiếu phần tử dữ liệu chính (KDE) bắt buộc cho bước nghiệp vụ này',
    en: 'Key data elements required for this business step are missing',
  },
} as const

export type ReasonCode = keyof typeof REASONS
export const REASON_CODES = Object.keys(REASONS) as ReasonCode[]

export type ReasonView = {
  code: string
  vi: string
  en: string
  /** What failed: the identifiers, locations or required fields. */
  values?: string[]
}

export function reasonViews(codes: readonly string[], details: Record<string, string[]>): ReasonView[] {
  return codes.map((code) => {
    const text = Object.hasOwn(REASONS, code) ? REASONS[code as ReasonCode] : { vi: code, en: code }
    const values = details[code]
    return { code, vi: text.vi, en: text.en, ...(values && values.length > 0 ? { values } : {}) }
  })
}
