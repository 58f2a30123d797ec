import type { CaptureErrorBehaviour } from '../db/tables/capture-job.js'
import { collectExtensionNames, eventListOf, type EpcisEvent } from '../epcis/document.js'
import { resolveContext } from '../epcis/json-ld-context.js'
import { byteChunks, streamXmlEvents, XmlInputError, type XmlLimits } from '../epcis/xml/index.js'
import { ERRORS, type ProblemItem } from '../errors.js'
import { PART_SIZE, writeCaptureJob, type FilledJob, type JobParts } from './job-writer.js'
import { prepareListedEvent } from './prepare.js'
import type { CaptureDeps } from './service.js'
import { checkXmlCapture, refusingBadXml } from './xml-input.js'

/**
 * POST /capture with an XML body. The document is checked against the GS1 XSD first, then read again as
 * a stream: each event is converted by the EPCIS 2.0 mapping between the bindings, checked and indexed
 * as its element closes, and written to the job a part at a time. Only the body's bytes and one part of
 * events are ever held, however many events the document has; any refusal stores nothing.
 */
export async function acceptXmlCapture(
  deps: CaptureDeps,
  body: Buffer,
  behaviour: CaptureErrorBehaviour,
  options: { maxBytes: number; organisationId: string | null },
): Promise<{ captureId: string }> {
  const limits = { maxBytes: options.maxBytes }
  return refusingBadXml(async () => {
    await checkXmlCapture(body, limits)
    return writeCaptureJob(deps, { behaviour, organisationId: options.organisationId }, (parts) =>
      convertIntoParts(body, limits, parts, { behaviour, captureLimit: deps.captureLimit }),
    )
  })
}

async function convertIntoParts(
  body: Buffer,
  limits: XmlLimits,
  parts: JobParts,
  options: { behaviour: CaptureErrorBehaviour; captureLimit: number },
): Promise<FilledJob> {
  const errors: ProblemItem[] = []
  let pointer = ''
  let pending: { position: number; body: EpcisEvent }[] = []
  let context: unknown[] = []
  const flush = async () => {
    if (pending.length === 0) return
    // The latest @context holds every prefix the pending events use, with the same meaning as the final one.
    const resolved = await resolveContext(context, collectExtensionNames(pending.map((event) => event.body), new Set()))
    const setting = { context: resolved, pointer, behaviour: options.behaviour, errors }
    const events = pending.flatMap((event) => prepareListedEvent(event.body, event.position, setting) ?? [])
    pending = []
    await parts(events)
  }
  for await (const item of streamXmlEvents(byteChunks(body), limits)) {
    if (item.kind === 'header') {
      pointer = eventListOf(item.document)?.pointer ?? ''
    } else if (item.kind === 'event') {
      if (item.index >= options.captureLimit) {
        throw ERRORS.captureLimitExceeded(
          `The document holds more than ${options.captureLimit} events; this repository captures at most ${options.captureLimit} per request`,
        )
      }
      pending.push({ position: item.index, body: item.event })
      context = item.context
      if (pending.length >= PART_SIZE) await flush()
    } else {
      await flush()
      return { shell: item.document, eventCount: item.eventCount, errors }
    }
  }
  throw new XmlInputError('structure', 'The XML document ended unexpectedly')
}
