import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'

export interface XmllintRun {
  /** Files xmllint reads: the documents, the schema and what it imports. */
  inputFiles: Array<{ fileName: string; contents: string | Uint8Array }>
  args: string[]
  initialMemory: number
  maxMemory: number
}

export interface XmllintOutcome {
  exitCode: number
  stderr: string
}

const require = createRequire(import.meta.url)
const xmllintModule = require.resolve('xmllint-wasm/xmllint-node.js')
const wasmFile = require.resolve('xmllint-wasm/xmllint.wasm')

/**
 * The worker's code, as plain CommonJS (no TypeScript loader needed, in tests or in dist). It compiles
 * xmllint's WebAssembly once and runs each request in a fresh instance of it: xmllint-wasm's validateXML
 * starts a thread and compiles the module anew for every call, which a document checked in many pieces
 * pays for every piece. A run's memory is its own instance's and is dropped when the run ends.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
const { readFileSync } = require('node:fs')
const factory = require(workerData.xmllintModule).default
const compiled = new WebAssembly.Module(readFileSync(workerData.wasmFile))
let chain = Promise.resolve()
parentPort.on('message', (request) => {
  if (request == null || request.nguonXmllint !== true) return
  chain = chain.then(() => run(request)).then((outcome) => parentPort.postMessage({ id: request.id, ...outcome }))
})
function run(request) {
  return new Promise((resolve) => {
    let stderr = ''
    let settled = false
    const done = (outcome) => {
      if (settled) return
      settled = true
      resolve(outcome)
    }
    factory({
      inputFiles: request.inputFiles,
      arguments: request.args,
      wasmMemory: new WebAssembly.Memory({ initial: request.initialMemory, maximum: request.maxMemory }),
      instantiateWasm(imports, receive) {
        WebAssembly.instantiate(compiled, imports).then((instance) => receive(instance, compiled), (error) => done({ exitCode: -1, stderr: String(error) }))
        return {}
      },
      print() {},
      printErr(text) { stderr += text + '\\n' },
      onExit(exitCode) { done({ exitCode, stderr }) },
      onAbort(reason) { done({ exitCode: -1, stderr: 'WASM Abort: ' + reason }) },
    }).catch((error) => done({ exitCode: -1, stderr: String(error) }))
  })
}
`

interface Pending {
  resolve(outcome: XmllintOutcome): void
  reject(error: unknown): void
}

/** How long an idle worker is kept for the next piece or document before its thread is ended. */
const IDLE_MS = 5_000

let worker: Worker | undefined
let nextId = 0
const pending = new Map<number, Pending>()
let idleTimer: NodeJS.Timeout | undefined

function started(): Worker {
  if (worker !== undefined) return worker
  // execArgv []: the worker runs plain JavaScript, without the loaders (tsx) the process may have been started with.
  const thread = new Worker(WORKER_SOURCE, { eval: true, workerData: { xmllintModule, wasmFile }, execArgv: [] })
  thread.unref()
  thread.on('message', (message: { id: number } & XmllintOutcome) => {
    const waiting = pending.get(message.id)
    pending.delete(message.id)
    waiting?.resolve({ exitCode: message.exitCode, stderr: message.stderr })
    if (pending.size === 0) idleTimer = setTimeout(stop, IDLE_MS).unref()
  })
  const fail = (error: unknown) => {
    if (worker === thread) worker = undefined
    for (const waiting of pending.values()) waiting.reject(error)
    pending.clear()
  }
  thread.on('error', fail)
  thread.on('exit', (code) => fail(new Error(`The xmllint worker stopped (exit code ${code})`)))
  worker = thread
  return thread
}

function stop(): void {
  const thread = worker
  worker = undefined
  if (thread !== undefined && pending.size === 0) void thread.terminate()
}

/**
 * Runs xmllint once in the shared worker thread (started on demand, ended after IDLE_MS without work); runs
 * queue one after another. Uint8Array contents are handed over to the worker (transferred, not copied) and
 * are unusable afterwards.
 */
export function runXmllint(run: XmllintRun): Promise<XmllintOutcome> {
  clearTimeout(idleTimer)
  const thread = started()
  const id = nextId++
  const transfer = run.inputFiles.flatMap((file) =>
    typeof file.contents !== 'string' && file.contents.byteOffset === 0 && file.contents.byteLength === file.contents.buffer.byteLength
      ? [file.contents.buffer as ArrayBuffer]
      : [],
  )
  return new Promise<XmllintOutcome>((resolve, reject) => {
    pending.set(id, { resolve, reject })
    thread.postMessage({ nguonXmllint: true, id, ...run }, transfer)
  })
}
