import type { Scenario } from '../types.js'
import { capture } from './capture.js'
import { captureGrown } from './capture-grown.js'
import { xmlCapture } from './xml-capture.js'
import { lineage } from './lineage.js'
import { query } from './query.js'
import { stall } from './stall.js'
import { admission } from './admission.js'
import { subscriptions } from './subscriptions.js'
import { federation } from './federation.js'
import { reports } from './reports.js'
import { publication } from './publication.js'

/** Every scenario, in the order a default run takes them. */
export const scenarios: Scenario[] = [capture, captureGrown, xmlCapture, lineage, query, admission, stall, subscriptions, federation, reports, publication]
