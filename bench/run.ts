/**
 * `npm run bench -- <scenario> ... | all` (without one: the list of scenarios): measures the repository against a baseline done the bare way on
 * the same database in the same run, prints a table and writes bench/results/<timestamp>.json.
 * Asserts nothing about time; exits with 1 only when something went wrong (a failed request, a wrong count).
 * Database: BENCH_DATABASE_URL when set, else an embedded PostgreSQL server started for this run;
 * either way the run works in a fresh database of its own and drops it at the end.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { performance } from 'node:perf_hooks'
import { createBenchDatabase, startBenchServer, type BenchDatabase, type BenchServer } from './database.js'
import { describeMachine, renderMachine } from './machine.js'
import { scenarios } from './scenarios/index.js'
import { renderTable } from './table.js'
import type { BenchContext, Scenario, ScenarioOutcome } from './types.js'

function selectScenarios(args: string[]): Scenario[] {
  const names = args.filter((arg) => !arg.startsWith('-'))
  // Without a scenario nothing runs: two of them build a million events (tens of minutes).
  if (args.includes('--help') || args.includes('-h') || names.length === 0) {
    console.log('usage: npm run bench -- <scenario> ... | all\nscenarios:')
    for (const scenario of scenarios) console.log(`  ${scenario.name.padEnd(12)} ${scenario.description}`)
    process.exit(0)
  }
  if (names.includes('all')) return scenarios
  const unknown = names.filter((name) => !scenarios.some((s) => s.name === name))
  if (unknown.length > 0) {
    console.error(`unknown scenario(s): ${unknown.join(', ')}; known: ${scenarios.map((s) => s.name).join(', ')}`)
    process.exit(2)
  }
  return scenarios.filter((s) => names.includes(s.name))
}

async function runScenario(scenario: Scenario, databaseUrl: string): Promise<ScenarioOutcome> {
  const outcome: ScenarioOutcome = {
    name: scenario.name,
    description: scenario.description,
    durationMs: 0,
    rows: [],
    notes: [],
    problems: [],
  }
  const ctx: BenchContext = {
    databaseUrl,
    log: (line) => console.log(`# ${line}`),
    note: (line) => outcome.notes.push(line),
    problem: (line) => {
      outcome.problems.push(line)
      console.log(`# PROBLEM ${line}`)
    },
  }
  const started = performance.now()
  try {
    outcome.rows = await scenario.run(ctx)
  } catch (error) {
    ctx.problem(`the scenario threw: ${(error as Error).stack ?? String(error)}`)
  }
  outcome.durationMs = performance.now() - started
  return outcome
}

async function writeResults(report: unknown, startedAt: Date): Promise<string> {
  const dir = new URL('./results/', import.meta.url)
  await mkdir(dir, { recursive: true })
  const file = new URL(`${startedAt.toISOString().replace(/[:.]/g, '-')}.json`, dir)
  await writeFile(file, `${JSON.stringify(report, null, 2)}\n`)
  return file.pathname
}

const selected = selectScenarios(process.argv.slice(2))
const startedAt = new Date()
let server: BenchServer | undefined
let database: BenchDatabase | undefined
let exitCode = 0

async function cleanUp(): Promise<void> {
  const [db, srv] = [database, server]
  database = undefined
  server = undefined
  try {
    await db?.drop()
  } finally {
    await srv?.stop()
  }
}

process.once('SIGINT', () => {
  console.log('\n# interrupted; stopping the database')
  void cleanUp().finally(() => process.exit(130))
})

try {
  server = await startBenchServer()
  database = await createBenchDatabase(server.adminUrl)
  const machine = await describeMachine(database.url)
  console.log(renderMachine(machine, server.kind))
  console.log(`database   ${database.name} (fresh, dropped at the end)\n`)

  const outcomes: ScenarioOutcome[] = []
  for (const scenario of selected) outcomes.push(await runScenario(scenario, database.url))

  console.log(`\n${renderTable(outcomes)}\n`)
  console.log('ratio = repository / baseline: for a rate, below 1 is slower than the baseline; for a time, above 1 is slower')
  for (const outcome of outcomes) {
    for (const note of outcome.notes) console.log(`note: ${note}`)
    console.log(`note: ${outcome.name} took ${(outcome.durationMs / 1000).toFixed(1)} s`)
  }
  const problems = outcomes.flatMap((o) => o.problems.map((p) => `${o.name}: ${p}`))
  if (problems.length > 0) {
    exitCode = 1
    console.log(`\n${problems.length} problem(s):`)
    for (const problem of problems) console.log(`  - ${problem}`)
  }
  const file = await writeResults(
    { startedAt: startedAt.toISOString(), machine, database: server.kind, scenarios: outcomes },
    startedAt,
  )
  console.log(`\nresults written to ${file}`)
} catch (error) {
  exitCode = 1
  console.error(error)
} finally {
  await cleanUp()
}
process.exit(exitCode)
