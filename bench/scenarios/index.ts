import type { Scenario } from '../types.js'
import { capture } from './capture.js'
import { xmlCapture } from './xml-capture.js'
import { lineage } from './lineage.js'
import { query } from './query.js'
import { stall } from './stall.js'
import { admission } from './admission.js'
import { subscriptions } from './subscriptions.js'
import { reports } from './reports.js'

/** Every scenario, in the order a default run takes them. */
export const scenarios: Scenario[] = [capture, xmlCapture, lineage, query, admission, stall, subscriptions, reports]
