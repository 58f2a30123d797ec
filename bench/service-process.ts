import { fork, type ChildProcess } from 'node:child_process'
import type { Config } from '../src/config.js'

interface Message {
  kind: string
  baseUrl?: string
  seconds?: number
  rss?: number
  maxRss?: number
  errors?: string[]
}

/** The benchmarked service in a child process (service-child.ts), so that its CPU time is measured alone. */
export interface ServiceProcess {
  baseUrl: string
  /** CPU seconds the service process has used so far, and its peak resident memory. */
  usage(): Promise<{ cpuSeconds: number; maxRss: number }>
  /** Stops the service; the lines it logged at level error. */
  close(): Promise<string[]>
}

export async function startServiceProcess(databaseUrl: string, overrides: Partial<Config> = {}): Promise<ServiceProcess> {
  const child: ChildProcess = fork(new URL('./service-child.ts', import.meta.url), [databaseUrl, JSON.stringify(overrides)], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  const next = (kind: string) =>
    new Promise<Message>((resolve, reject) => {
      const onMessage = (m: Message) => {
        if (m.kind !== kind) return
        child.off('message', onMessage)
        child.off('exit', onExit)
        resolve(m)
      }
      const onExit = (code: number | null) => reject(new Error(`the service process exited (${code}) before answering ${kind}`))
      child.on('message', onMessage)
      child.once('exit', onExit)
    })
  const ready = await next('listening')
  return {
    baseUrl: ready.baseUrl!,
    usage: async () => {
      const answer = next('cpu')
      child.send({ kind: 'cpu' })
      const m = await answer
      return { cpuSeconds: m.seconds!, maxRss: m.maxRss! }
    },
    close: async () => {
      const answer = next('report')
      child.send({ kind: 'report' })
      const m = await answer.catch(() => ({ errors: ['the service process exited before reporting'] }) as Message)
      return m.errors ?? []
    },
  }
}
