import type { LineageDirection } from '../traceability/types.js'
import { lineage, TRACE_LIMITS, type LineageAnswer } from '../traceability/service.js'
import type { TraceDb } from '../traceability/walk.js'

/** The lineage of a key over every event (the page is a public projection), or undefined when no event names it. */
export async function lineageOrUnknown(
  deps: TraceDb,
  key: string,
  direction: LineageDirection,
): Promise<LineageAnswer | undefined> {
  try {
    return await lineage(deps, { epc: key, direction, maxDepth: TRACE_LIMITS.defaultDepth })
  } catch (error) {
    if ((error as { code?: string }).code === 'EPCIS_ERR_NO_SUCH_RESOURCE') return undefined
    throw error
  }
}
