import { AsyncLocalStorage } from 'node:async_hooks'

/**
 * Classes of work, each with its own connection pool so that none can starve another:
 * - health: /health/* (the orchestrator's probes);
 * - public: the resolver, linksets, the consumer page, QR codes and every other route without credentials;
 * - query: event queries, top-level resources, named queries' events, traceability walks, the ledger;
 * - capture: capture requests and the capture worker;
 * - default: everything else (authentication lookups, administration, master data, start-up work).
 */
export const WORK_CLASSES = ['default', 'health', 'public', 'query', 'capture'] as const
export type WorkClass = (typeof WORK_CLASSES)[number]

const current = new AsyncLocalStorage<WorkClass>()

/** The class of the work running now (set per request by the admission plugin, per job by the worker). */
export function currentWorkClass(): WorkClass {
  return current.getStore() ?? 'default'
}

/** Runs `fn` (and everything it starts) as work of this class: its database calls use that class's pool. */
export function runAs<T>(workClass: WorkClass, fn: () => T): T {
  return current.run(workClass, fn)
}
