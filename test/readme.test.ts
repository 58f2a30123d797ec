import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { projectRoot } from '../src/paths.js'
import { createTestDatabase } from './db.js'
import { examplesOf, expectationPattern, expectedStatus, isRepeatable, type Example } from './readme-examples.js'

/**
 * README.md's examples run as pasted (```sh tested blocks, in order) against the service started as a
 * process of its own, on a database of its own, in a folder laid out like a clone (so ".data/admin.key"
 * and "test/fixtures/..." mean what they say); only localhost:8080 becomes the port of this run.
 * README.vi.md shows the same commands.
 */
const readme = (name: string) => readFileSync(join(projectRoot, name), 'utf8')

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
    })
  })
}

async function waitUntilReady(origin: string, service: ChildProcessWithoutNullStreams, log: () => string): Promise<void> {
  const deadline = Date.now() + 90_000
  while (Date.now() < deadline) {
    if (service.exitCode !== null) throw new Error(`the service exited (${service.exitCode}): ${log()}`)
    try {
      if ((await fetch(`${origin}/health/ready`)).ok) return
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  throw new Error(`the service did not get ready: ${log()}`)
}

/** One bash, fed one command at a time, so that variables and aliases carry over as in a terminal. */
class Shell {
  private readonly bash: ChildProcessWithoutNullStreams
  private output = ''
  private waiting: { marker: RegExp; resolve: (text: string) => void } | undefined
  private count = 0

  constructor(cwd: string) {
    this.bash = spawn('bash', ['--norc', '--noprofile'], { cwd, env: { PATH: process.env.PATH ?? '', HOME: cwd, LANG: 'C.UTF-8' } })
    this.bash.stdout.on('data', (chunk: Buffer) => this.receive(chunk.toString()))
    this.bash.stderr.on('data', (chunk: Buffer) => this.receive(chunk.toString()))
    // Aliases as in an interactive shell; every curl reports its status on stderr (after the body).
    this.bash.stdin.write(`exec 2>&1\nshopt -s expand_aliases\ncurl() { command curl -sS -w '%{stderr}\\n@@HTTP %{http_code}\\n' "$@"; }\n`)
  }

  private receive(text: string): void {
    this.output += text
    const match = this.waiting?.marker.exec(this.output)
    if (match && this.waiting) {
      const { resolve } = this.waiting
      this.waiting = undefined
      const result = this.output.slice(0, match.index + match[0].length)
      this.output = this.output.slice(match.index + match[0].length)
      resolve(result)
    }
  }

  run(command: string, timeoutMs = 60_000): Promise<{ output: string; exitCode: number; statuses: number[] }> {
    const id = ++this.count
    const marker = new RegExp(`@@END ${id} (\\d+)\\n`)
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms; output so far: ${this.output}`)), timeoutMs)
      this.waiting = {
        marker,
        resolve: (text) => {
          clearTimeout(timer)
          const exitCode = Number(marker.exec(text)![1])
          const statuses = [...text.matchAll(/@@HTTP (\d{3})/g)].map((m) => Number(m[1]))
          const output = text.replace(marker, '').replace(/\n?@@HTTP \d{3}\n/g, '\n')
          resolve({ output, exitCode, statuses })
        },
      }
      this.bash.stdin.write(`${command}\necho "@@END ${id} $?"\n`)
    })
  }

  close(): void {
    this.bash.kill('SIGKILL')
  }
}

function problemsWith(example: Example, result: { output: string; exitCode: number; statuses: number[] }): string[] {
  const problems: string[] = []
  if (result.exitCode !== 0) problems.push(`exit status ${result.exitCode}`)
  const status = expectedStatus(example)
  for (const answered of result.statuses) {
    if (status !== undefined ? answered !== status : answered >= 400) problems.push(`HTTP ${answered}${status ? `, the README shows ${status}` : ''}`)
  }
  for (const line of example.expected) {
    if (!expectationPattern(line).test(result.output)) problems.push(`the output lacks: ${line}`)
  }
  return problems
}

t.test('README.vi.md shows the same commands as README.md', async (t) => {
  const english = examplesOf(readme('README.md')).map((e) => e.command)
  const vietnamese = examplesOf(readme('README.vi.md')).map((e) => e.command)
  t.ok(english.length >= 20, `README.md has ${english.length} tested commands`)
  t.same(vietnamese, english)
})

t.test("README.md's examples work as pasted", async (t) => {
  const examples = examplesOf(readme('README.md'))
  const database = await createTestDatabase()
  const clone = mkdtempSync(join(tmpdir(), 'nguon-readme-'))
  for (const entry of ['package.json', 'node_modules', 'src', 'scripts', 'test', 'schemas', 'migrations', 'tsconfig.json']) {
    symlinkSync(join(projectRoot, entry), join(clone, entry))
  }
  const port = await freePort()
  const origin = `http://127.0.0.1:${port}`
  const env: Record<string, string | undefined> = { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: database.url, DATA_DIR: join(clone, '.data'), LOG_LEVEL: 'warn' }
  delete env.ADMIN_API_KEY
  const service = spawn(process.execPath, ['--import', 'tsx', join(projectRoot, 'src', 'server.ts')], { cwd: clone, env })
  let serviceLog = ''
  service.stdout.on('data', (chunk: Buffer) => (serviceLog += chunk.toString()))
  service.stderr.on('data', (chunk: Buffer) => (serviceLog += chunk.toString()))
  const shell = new Shell(clone)
  t.teardown(async () => {
    shell.close()
    if (service.exitCode === null) {
      service.kill('SIGTERM')
      const killer = setTimeout(() => service.kill('SIGKILL'), 15_000)
      await new Promise((resolve) => service.once('exit', resolve))
      clearTimeout(killer)
    }
    await database.drop()
    rmSync(clone, { recursive: true, force: true })
  })
  await waitUntilReady(origin, service, () => serviceLog)

  for (const example of examples) {
    const command = example.command.replaceAll('http://localhost:8080', origin)
    let problems: string[] = []
    let output = ''
    for (let attempt = 0; attempt < (isRepeatable(command) ? 40 : 1); attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 250))
      const result = await shell.run(command)
      output = result.output
      problems = problemsWith(example, result)
      if (problems.length === 0) break
    }
    t.same(problems, [], `${example.command.split('\n')[0]}`, { output: output.slice(0, 2000) })
  }
})
