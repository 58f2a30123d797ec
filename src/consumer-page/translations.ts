/** The languages the consumer page is written in; Vietnamese first (the default). */
export const PAGE_LANGUAGES = ['vi', 'en'] as const
export type PageLanguage = (typeof PAGE_LANGUAGES)[number]

export interface PageTexts {
  pageTitle: string
  switchTo: string
  unknownTitle: string
  unknownBody: string
  invalidCodeTitle: string
  invalidCodeBody: string
  problemTitle: string
  problemBody: string
  technicalDetail: string
  recalledTitle: string
  recalledBody: string
  correctedTitle: string
  correctedBody: string
  gtin: string
  lot: string
  serial: string
  expiry: string
  bestBefore: string
  sellBy: string
  journey: string
  noJourney: string
  certifications: string
  coldChain: string
  temperature: (min: string, max: string, unit: string, readings: number) => string
  commercial: string
  transaction: string
  from: string
  to: string
  product: string
  unnamedPlace: (gln: string) => string
  unnamedProduct: string
  recordedBy: (enterprise: string) => string
  unnamedEnterprise: (identifier: string) => string
  footer: string
  truncated: string
  bizStep: (word: string) => string
}

/** CBV 2.0 business steps as a shopper would say them. */
const BIZ_STEPS: Record<string, { vi: string; en: string }> = {
  accepting: { vi: 'Nhận hàng', en: 'Accepted' },
  arriving: { vi: 'Đến nơi', en: 'Arrived' },
  assembling: { vi: 'Lắp ráp', en: 'Assembled' },
  collecting: { vi: 'Thu gom', en: 'Collected' },
  commissioning: { vi: 'Khởi tạo sản phẩm', en: 'Produced' },
  consigning: { vi: 'Ký gửi', en: 'Consigned' },
  creating_class_instance: { vi: 'Sản xuất', en: 'Produced' },
  cycle_counting: { vi: 'Kiểm kê', en: 'Counted' },
  decommissioning: { vi: 'Ngừng sử dụng', en: 'Decommissioned' },
  departing: { vi: 'Khởi hành', en: 'Departed' },
  destroying: { vi: 'Tiêu hủy', en: 'Destroyed' },
  disassembling: { vi: 'Tháo rời', en: 'Disassembled' },
  dispensing: { vi: 'Cấp phát', en: 'Dispensed' },
  encoding: { vi: 'Mã hóa', en: 'Encoded' },
  entering_exiting: { vi: 'Ra vào', en: 'Entered or left' },
  holding: { vi: 'Tạm giữ', en: 'Held' },
  inspecting: { vi: 'Kiểm tra', en: 'Inspected' },
  installing: { vi: 'Lắp đặt', en: 'Installed' },
  killing: { vi: 'Giết mổ', en: 'Slaughtered' },
  loading: { vi: 'Xếp hàng lên xe', en: 'Loaded' },
  other: { vi: 'Hoạt động khác', en: 'Other step' },
  packing: { vi: 'Đóng gói', en: 'Packed' },
  picking: { vi: 'Soạn hàng', en: 'Picked' },
  receiving: { vi: 'Nhận hàng', en: 'Received' },
  removing: { vi: 'Tháo gỡ', en: 'Removed' },
  repackaging: { vi: 'Đóng gói lại', en: 'Repackaged' },
  repairing: { vi: 'Sửa chữa', en: 'Repaired' },
  replacing: { vi: 'Thay thế', en: 'Replaced' },
  reserving: { vi: 'Đặt trước', en: 'Reserved' },
  retail_selling: { vi: 'Bán lẻ', en: 'Sold' },
  sampling: { vi: 'Lấy mẫu', en: 'Sampled' },
  sensor_reporting: { vi: 'Ghi nhận cảm biến', en: 'Sensor readings' },
  shipping: { vi: 'Vận chuyển', en: 'Shipped' },
  staging_outbound: { vi: 'Chuẩn bị xuất hàng', en: 'Staged for shipping' },
  stock_taking: { vi: 'Kiểm kho', en: 'Stock taken' },
  stocking: { vi: 'Lên kệ', en: 'Stocked' },
  storing: { vi: 'Lưu kho', en: 'Stored' },
  transporting: { vi: 'Vận chuyển nội bộ', en: 'Transported' },
  unloading: { vi: 'Dỡ hàng', en: 'Unloaded' },
  unpacking: { vi: 'Mở thùng', en: 'Unpacked' },
  void_shipping: { vi: 'Hủy vận chuyển', en: 'Shipment cancelled' },
}

const VI: PageTexts = {
  pageTitle: 'Nguồn gốc sản phẩm',
  switchTo: 'English',
  unknownTitle: 'Không tìm thấy sản phẩm',
  unknownBody: 'Chúng tôi chưa có thông tin truy xuất nguồn gốc cho mã này. Vui lòng kiểm tra lại mã trên bao bì.',
  invalidCodeTitle: 'Mã không hợp lệ',
  invalidCodeBody:
    'Mã vừa quét không phải là một mã GS1 hợp lệ (ví dụ: số kiểm tra sai). Vui lòng quét lại, hoặc kiểm tra mã in trên bao bì.',
  problemTitle: 'Không thể hiển thị trang này',
  problemBody: 'Yêu cầu không thực hiện được. Vui lòng thử lại sau.',
  technicalDetail: 'Chi tiết kỹ thuật',
  recalledTitle: 'Sản phẩm này đã bị thu hồi',
  recalledBody: 'Không sử dụng sản phẩm. Hãy mang trả lại nơi bán hoặc liên hệ nhà sản xuất.',
  correctedTitle: 'Dữ liệu truy xuất đã được đính chính',
  correctedBody:
    'Doanh nghiệp đã khai báo một số dữ liệu về sản phẩm này là sai; các dữ liệu đó không được hiển thị trong hành trình.',
  gtin: 'Mã sản phẩm (GTIN)',
  lot: 'Số lô',
  serial: 'Số sê-ri',
  expiry: 'Hạn sử dụng',
  bestBefore: 'Sử dụng tốt nhất trước',
  sellBy: 'Hạn bán',
  journey: 'Hành trình sản phẩm',
  noJourney: 'Chưa có dữ liệu hành trình cho sản phẩm này.',
  certifications: 'Chứng nhận',
  coldChain: 'Chuỗi lạnh',
  temperature: (min, max, unit, readings) => `Nhiệt độ từ ${min} đến ${max} ${unit} (${readings} lần đo)`,
  commercial: 'Thông tin thương mại',
  transaction: 'Giao dịch',
  from: 'Từ',
  to: 'Đến',
  product: 'Sản phẩm',
  unnamedPlace: (gln) => `Địa điểm ${gln}`,
  unnamedProduct: 'Sản phẩm',
  recordedBy: (enterprise) => `Ghi nhận bởi ${enterprise}`,
  unnamedEnterprise: (identifier) => `doanh nghiệp ${identifier}`,
  footer: 'Dữ liệu truy xuất theo chuẩn GS1 EPCIS 2.0',
  truncated: 'Hành trình quá dài; chỉ hiển thị một phần.',
  bizStep: (word) => BIZ_STEPS[word]?.vi ?? word.replace(/_/g, ' '),
}

const EN: PageTexts = {
  pageTitle: 'Product origin',
  switchTo: 'Tiếng Việt',
  unknownTitle: 'Product not found',
  unknownBody: 'We have no traceability information for this code yet. Please check the code on the pack.',
  invalidCodeTitle: 'Invalid code',
  invalidCodeBody:
    'The code you scanned is not a valid GS1 code (for example, its check digit is wrong). Please scan it again, or check the code printed on the pack.',
  problemTitle: 'This page cannot be shown',
  problemBody: 'The request could not be answered. Please try again later.',
  technicalDetail: 'Technical detail',
  recalledTitle: 'This product has been recalled',
  recalledBody: 'Do not use it. Take it back to the shop or contact the producer.',
  correctedTitle: 'Traceability records were corrected',
  correctedBody:
    'The business declared some records about this product erroneous; they are left out of the journey.',
  gtin: 'Product code (GTIN)',
  lot: 'Lot',
  serial: 'Serial number',
  expiry: 'Use by',
  bestBefore: 'Best before',
  sellBy: 'Sell by',
  journey: 'Journey',
  noJourney: 'No journey has been recorded for this product yet.',
  certifications: 'Certifications',
  coldChain: 'Cold chain',
  temperature: (min, max, unit, readings) => `Temperature between ${min} and ${max} ${unit} (${readings} readings)`,
  commercial: 'Commercial information',
  transaction: 'Transaction',
  from: 'From',
  to: 'To',
  product: 'Product',
  unnamedPlace: (gln) => `Location ${gln}`,
  unnamedProduct: 'Product',
  recordedBy: (enterprise) => `Recorded by ${enterprise}`,
  unnamedEnterprise: (identifier) => `enterprise ${identifier}`,
  footer: 'Traceability data following the GS1 EPCIS 2.0 standard',
  truncated: 'The journey is long; only part of it is shown.',
  bizStep: (word) => BIZ_STEPS[word]?.en ?? word.replace(/_/g, ' '),
}

export function textsFor(language: PageLanguage): PageTexts {
  return language === 'en' ? EN : VI
}
