/** What every scenario gets: the run's database and a way to say what it saw. */
export interface BenchContext {
  /** A fresh database created for this run, shared by the scenarios in the order they run. */
  databaseUrl: string
  /** A progress line, printed at once (the table comes at the end). */
  log(line: string): void
  /** A line printed under the table, e.g. how a baseline was measured. */
  note(line: string): void
  /** Something wrong that is not about time (a failed request, a wrong count): the run exits with 1. */
  problem(line: string): void
}

/** One line of the results table. Rates and ratios are computed by the scenario; nothing is asserted about them. */
export interface ResultRow {
  measurement: string
  /** What the repository did. */
  value: number
  unit: string
  /** The same work done the bare way on the same database, when there is one. */
  baseline?: number
  /** value / baseline. */
  ratio?: number
}

export interface Scenario {
  name: string
  description: string
  run(ctx: BenchContext): Promise<ResultRow[]>
}

export interface ScenarioOutcome {
  name: string
  description: string
  durationMs: number
  rows: ResultRow[]
  notes: string[]
  problems: string[]
}
