import { isObject, type EpcisEvent } from '../../epcis/document.js'
import { vocabularyKey } from '../values.js'

export interface PersistentDispositionIndex {
  unset: boolean
  disposition: string
}

/** persistentDisposition.set and .unset, as canonical disposition keys. */
export function persistentDispositionsOf(event: EpcisEvent): PersistentDispositionIndex[] {
  const given = event.persistentDisposition
  if (!isObject(given)) return []
  const rows: PersistentDispositionIndex[] = []
  for (const [list, unset] of [['set', false], ['unset', true]] as const) {
    const values = given[list]
    if (!Array.isArray(values)) continue
    for (const value of values) {
      if (typeof value === 'string') rows.push({ unset, disposition: vocabularyKey('disposition', value) })
    }
  }
  return rows
}
