import { toBareWordForm } from '../epcis/cbv.js'
import { localDateTime } from './dates.js'
import { partyDigits } from '../federation/organisation-names.js'
import type { EventLinkView, PageEventRow, Recorder } from './repository.js'
import type { PageLanguage, PageTexts } from './translations.js'

/** Commercial fields of a timeline step, present only when the product's owner allows them. */
export interface CommercialFields {
  transactions: string[]
  from: string[]
  to: string[]
}

export interface TimelineEntry {
  /** ISO 8601 instant of the first event of the step */
  datetime: string
  /** the same on the local clock of the place, in the page language */
  when: string
  step: string
  place?: string
  /** the enterprise that recorded it */
  recordedBy?: string
  commercial?: CommercialFields
}

export interface Certification {
  uri: string
  place?: string
}

/** Where an event happened: its business location, else where it was read. */
export const placeOf = (event: PageEventRow): string | undefined => event.bizLocation ?? event.readPoint ?? undefined

const GLN_KEY = /^https:\/\/id\.gs1\.org\/(?:414|417)\/(\d{13})(?:\/254\/(.+))?$/

/** A place or party without a name in master data: its GLN, else its URI. */
export function unnamed(key: string, texts: PageTexts): string {
  const match = GLN_KEY.exec(key)
  if (!match) return texts.unnamedPlace(key)
  return texts.unnamedPlace(match[2] ? `${match[1]} / ${decodeURIComponent(match[2])}` : match[1]!)
}

const LOCAL_ORGANISATION = 'urn:nguon:organisation:'

/** An organisation here by its display name; one known only by its name across repositories by its GLN, else that name. */
function recorderName(recorder: Recorder | undefined, texts: PageTexts): string | undefined {
  if (!recorder) return undefined
  if ('organisation' in recorder) return recorder.organisation
  const origin = recorder.origin
  const shown = partyDigits(origin) ?? (origin.startsWith(LOCAL_ORGANISATION) ? origin.slice(LOCAL_ORGANISATION.length) : origin)
  return texts.unnamedEnterprise(shown)
}

function nameOf(key: string, names: ReadonlyMap<string, string>, texts: PageTexts): string {
  return names.get(key) ?? unnamed(key, texts)
}

function commercialOf(
  links: readonly EventLinkView[],
  names: ReadonlyMap<string, string>,
  texts: PageTexts,
): CommercialFields {
  const fields: CommercialFields = { transactions: [], from: [], to: [] }
  for (const link of links) {
    if (link.kind === 'bizTransaction') {
      const type = link.type ? toBareWordForm('bizTransactionType', link.type) : undefined
      fields.transactions.push(type ? `${type}: ${link.value}` : link.value)
    } else {
      fields[link.kind === 'source' ? 'from' : 'to'].push(nameOf(link.value, names, texts))
    }
  }
  return fields
}

function mergeInto(target: CommercialFields, more: CommercialFields): void {
  for (const field of ['transactions', 'from', 'to'] as const) {
    for (const value of more[field]) if (!target[field].includes(value)) target[field].push(value)
  }
}

/**
 * The journey as a shopper reads it: one entry per business step at one place, in time order, consecutive
 * events of the same step at the same place recorded by the same enterprise (a farm commissioning several batches)
 * told once.
 */
export function timeline(
  events: readonly PageEventRow[],
  names: ReadonlyMap<string, string>,
  language: PageLanguage,
  texts: PageTexts,
  links?: ReadonlyMap<number, EventLinkView[]>,
): TimelineEntry[] {
  const entries: TimelineEntry[] = []
  let previous: { step: string | null; place: string | undefined; recordedBy: string | undefined } | undefined
  for (const event of events) {
    const place = placeOf(event)
    if (event.bizStep === null && place === undefined) continue
    const commercial = links ? commercialOf(links.get(event.pk) ?? [], names, texts) : undefined
    const recordedBy = recorderName(event.recorder, texts)
    if (previous && previous.step === event.bizStep && previous.place === place && previous.recordedBy === recordedBy) {
      const last = entries[entries.length - 1]!
      if (last.commercial && commercial) mergeInto(last.commercial, commercial)
      continue
    }
    previous = { step: event.bizStep, place, recordedBy }
    entries.push({
      datetime: event.eventTime.toISOString(),
      when: localDateTime(event.eventTime, event.offset, language),
      step: texts.bizStep(event.bizStep ? toBareWordForm('bizStep', event.bizStep) : 'other'),
      ...(place ? { place: nameOf(place, names, texts) } : {}),
      ...(recordedBy ? { recordedBy } : {}),
      ...(commercial ? { commercial } : {}),
    })
  }
  return entries
}

function urisOf(value: unknown): string[] {
  if (typeof value === 'string') return [value]
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string')
  return []
}

/** The certificationInfo of the events, each certificate once, with the place of its first event. */
export function certifications(
  events: readonly PageEventRow[],
  names: ReadonlyMap<string, string>,
  texts: PageTexts,
): Certification[] {
  const found = new Map<string, Certification>()
  for (const event of events) {
    const place = placeOf(event)
    for (const uri of urisOf(event.certificationInfo)) {
      if (!found.has(uri)) found.set(uri, { uri, ...(place ? { place: nameOf(place, names, texts) } : {}) })
    }
  }
  return [...found.values()]
}
