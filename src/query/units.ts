/**
 * UN/ECE Recommendation 20 unit codes that sensor values and quantities are commonly given in,
 * grouped by dimension, so that a query in one unit (GE_value_KEL) matches values recorded in
 * another of the same dimension (CEL). A value v in a unit is `v * factor + offset` in the
 * dimension's base unit. A well-formed code outside this table matches values in that code only.
 */
interface Unit {
  dimension: string
  factor: number
  offset?: number
}

const UNITS: Record<string, Unit> = {}

function dimension(name: string, units: Record<string, number | [number, number]>): void {
  for (const [code, scale] of Object.entries(units)) {
    UNITS[code] = Array.isArray(scale) ? { dimension: name, factor: scale[0], offset: scale[1] } : { dimension: name, factor: scale }
  }
}

dimension('temperature', { KEL: 1, CEL: [1, 273.15], FAH: [5 / 9, 459.67 * (5 / 9)] })
dimension('mass', { KGM: 1, GRM: 1e-3, MGM: 1e-6, MC: 1e-9, HGM: 0.1, DTN: 100, TNE: 1000, LBR: 0.45359237, ONZ: 0.028349523125 })
dimension('length', {
  MTR: 1, DMT: 0.1, CMT: 0.01, MMT: 1e-3, '4H': 1e-6, KMT: 1000, INH: 0.0254, FOT: 0.3048, YRD: 0.9144,
  SMI: 1609.344, NMI: 1852,
})
dimension('area', { MTK: 1, DMK: 1e-2, CMK: 1e-4, MMK: 1e-6, KMK: 1e6, HAR: 1e4, INK: 6.4516e-4, FTK: 0.09290304, ACR: 4046.8564224 })
dimension('volume', {
  MTQ: 1, LTR: 1e-3, DMQ: 1e-3, DLT: 1e-4, CLT: 1e-5, MLT: 1e-6, CMQ: 1e-6, HLT: 0.1, MMQ: 1e-9,
  GLL: 0.003785411784, GLI: 0.00454609, QT: 9.46352946e-4, PT: 4.73176473e-4, OZA: 2.95735295625e-5,
  FTQ: 0.028316846592, INQ: 1.6387064e-5,
})
dimension('speed', { MTS: 1, KMH: 1 / 3.6, HM: 0.44704, KNT: 1852 / 3600, FS: 0.3048 })
dimension('pressure', { PAL: 1, HPA: 100, KPA: 1000, MPA: 1e6, BAR: 1e5, MBR: 100, ATM: 101325, ATT: 98066.5, PS: 6894.757293168 })
dimension('time', { SEC: 1, C26: 1e-3, MIN: 60, HUR: 3600, DAY: 86400, WEE: 604800 })
dimension('energy', { JOU: 1, KJO: 1e3, '3B': 1e6, WHR: 3600, KWH: 3.6e6, D70: 4.1868, K51: 4186.8 })
dimension('power', { WTT: 1, KWT: 1e3, MAW: 1e6 })
dimension('frequency', { HTZ: 1, KHZ: 1e3, MHZ: 1e6 })
dimension('current', { AMP: 1, '4K': 1e-3 })
dimension('voltage', { VLT: 1, '2Z': 1e-3, KVT: 1e3 })
dimension('illuminance', { LUX: 1 })
dimension('concentration', { KMQ: 1, A93: 1e-3, GL: 1 })
dimension('ratio', { C62: 1, P1: 0.01 })

/** UN/ECE Rec 20 codes are two or three upper-case letters or digits; the query schema allows four. */
export const UOM_CODE = /^[A-Z0-9]{2,4}$/

export function isUomCode(code: string): boolean {
  return UOM_CODE.test(code)
}

/** A value given in `uom`, written in each unit it can be compared in (its own first). */
export interface UnitValue {
  uom: string
  /** The value in that unit, as decimal text. */
  value: string
  /** True when the value was converted (and so may carry floating-point rounding). */
  converted: boolean
}

function decimal(value: number): string {
  return String(Number(value.toPrecision(15)))
}

/**
 * `value` (decimal text in `uom`) in every known unit of the same dimension; only `uom` itself for
 * an unknown code. A difference (a standard deviation) converts without the units' offsets: 1 K of
 * spread is 1 °C of spread.
 */
export function inComparableUnits(value: string, uom: string, difference = false): UnitValue[] {
  const own: UnitValue = { uom, value, converted: false }
  const unit = Object.hasOwn(UNITS, uom) ? UNITS[uom] : undefined
  if (!unit) return [own]
  const offset = (u: Unit) => (difference ? 0 : (u.offset ?? 0))
  const base = Number(value) * unit.factor + offset(unit)
  const others = Object.entries(UNITS)
    .filter(([code, other]) => code !== uom && other.dimension === unit.dimension)
    .map(([code, other]) => ({ uom: code, value: decimal((base - offset(other)) / other.factor), converted: true }))
  return [own, ...others].filter((u) => Number.isFinite(Number(u.value)))
}
