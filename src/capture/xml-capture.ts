import type { CaptureErrorBehaviour } from '../db/tables/capture-job.js'
import { collectExtensionNames, eventListOf, masterDataOf, type EpcisEvent } from '../epcis/document.js'
import { resolveContext, type ResolvedContext } from '../epcis/json-ld-context.js'
import { CheckedXmlStream, XmlInputError, type XmlInput } from '../epcis/xml/index.js'
import { ERRORS, type EpcisError, type ProblemItem } from '../errors.js'
import type { Capturer } from './capturer.js'
import { PART_SIZE, writeCaptureJob, type FilledJob, type JobParts } from './job-writer.js'
import { checkDocumentLimits, checkEventLimits, DEFAULT_CAPTURE_LIMITS, type CaptureLimits } from './limits.js'
import { checkDocumentStorable, prepareListedEvent, type PreparedEvent } from './prepare.js'
import type { CaptureDeps } from './service.js'
import { refusingBadXml } from './xml-input.js'

/**
 * POST /capture with an XML body, read once as a stream: the guarded parser feeds both the XSD check (in
 * pieces, in xmllint's worker) and the converter, by the EPCIS 2.0 mapping between the bindings. Each event
 * is checked and indexed as its element closes, kept as the JSON text of a job part, and written to the job
 * a part at a time. Only one part and one XSD piece are held, whatever the size of the document; the job
 * commits only once the whole document passed the XSD, and any refusal stores nothing.
 */
export async function acceptXmlCapture(
  deps: CaptureDeps,
  body: XmlInput,
  behaviour: CaptureErrorBehaviour,
  options: { maxBytes: number } & Capturer,
): Promise<{ captureId: string }> {
  const { maxBytes, ...capturer } = options
  const stream = new CheckedXmlStream(body, { maxBytes })
  return refusingBadXml(() =>
    writeCaptureJob(deps, { behaviour, ...capturer }, async (parts) => {
      try {
        return await convertIntoParts(stream, parts, { behaviour, captureLimit: deps.captureLimit, limits: deps.limits ?? DEFAULT_CAPTURE_LIMITS })
      } catch (error) {
        // A document refused for what an event holds may break the XSD there too; the XSD's words come first.
        if (!isRefusalOfContent(error)) throw error
        throw (await stream.schemaErrorsSoFar()) ?? error
      }
    }),
  )
}

function isRefusalOfContent(error: unknown): boolean {
  if (error instanceof XmlInputError) return error.kind === 'structure' || error.kind === 'unsupported'
  return (error as Partial<EpcisError>).code === 'EPCIS_ERR_VALIDATION'
}

async function convertIntoParts(
  stream: CheckedXmlStream,
  parts: JobParts,
  options: { behaviour: CaptureErrorBehaviour; captureLimit: number; limits: CaptureLimits },
): Promise<FilledJob> {
  const errors: ProblemItem[] = []
  const contexts = new EventContexts()
  let pointer = ''
  let pending: PreparedEvent[] = []
  for await (const item of stream) {
    if (item.kind === 'header') {
      pointer = eventListOf(item.document)?.pointer ?? ''
    } else if (item.kind === 'event') {
      if (item.index >= options.captureLimit) {
        throw ERRORS.captureLimitExceeded(
          `The document holds more than ${options.captureLimit} events; this repository captures at most ${options.captureLimit} per request`,
        )
      }
      const body = item.event as EpcisEvent
      checkEventLimits(body, `${pointer}/${item.index}`, options.limits)
      const context = await contexts.resolve(item.context, body)
      const prepared = prepareListedEvent(body, item.index, { context, pointer, behaviour: options.behaviour, errors })
      if (prepared) pending.push(prepared)
      if (pending.length >= PART_SIZE) {
        await parts(pending)
        pending = []
      }
    } else {
      const masterData = masterDataOf(item.document)
      checkDocumentLimits(item.document, masterData.length, options.limits)
      checkDocumentStorable(item.document, masterData)
      await parts(pending)
      return { shell: item.document, eventCount: item.eventCount, errors }
    }
  }
  throw new XmlInputError('structure', 'The XML document ended unexpectedly')
}

/**
 * The resolved @context for each event, resolved again only when the document's context grows or an event
 * uses a name not met before. A context seen so far holds every prefix its events use, with the meaning the
 * final context gives them.
 */
class EventContexts {
  private context: unknown[] | undefined
  private resolved: ResolvedContext | undefined
  private readonly names = new Set<string>()

  async resolve(context: unknown[], event: EpcisEvent): Promise<ResolvedContext> {
    const names = collectExtensionNames(event, new Set())
    if (context !== this.context) {
      this.context = context
      this.resolved = undefined
      this.names.clear()
    }
    if (this.resolved === undefined || [...names].some((name) => !this.names.has(name))) {
      for (const name of names) this.names.add(name)
      this.resolved = await resolveContext(context, this.names)
    }
    return this.resolved
  }
}

