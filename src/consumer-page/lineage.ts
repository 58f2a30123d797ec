import type { LineageDirection } from '../traceability/types.js'
import { lineage, TRACE_LIMITS, type LineageAnswer } from '../traceability/service.js'
import type { TraceDb } from '../traceability/walk.js'
import { publishedOnly } from '../publication/published.js'

/** The lineage of a key over the published events (the page is public), or undefined when no published event names it. */
export async function lineageOrUnknown(
  deps: TraceDb,
  key: string,
  direction: LineageDirection,
): Promise<LineageAnswer | undefined> {
  try {
    return await lineage(deps, { epc: key, direction, maxDepth: TRACE_LIMITS.defaultDepth, visible: publishedOnly })
  } catch (error) {
    if ((error as { code?: string }).code === 'EPCIS_ERR_NO_SUCH_RESOURCE') return undefined
    throw error
  }
}
