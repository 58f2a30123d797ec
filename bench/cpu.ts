import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type pg from 'pg'

/** Linux's clock ticks per second for /proc/<pid>/stat (USER_HZ, 100 on every Linux Node.js runs on). */
const TICKS = 100

interface Times {
  ppid: number
  /** utime + stime of the process itself. */
  own: number
  /** cutime + cstime: of its children that ended and were waited for. */
  ended: number
}

async function timesOf(pid: number | string): Promise<Times | undefined> {
  try {
    const text = await readFile(`/proc/${pid}/stat`, 'utf8')
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ')
    return { ppid: Number(fields[1]), own: Number(fields[11]) + Number(fields[12]), ended: Number(fields[13]) + Number(fields[14]) }
  } catch {
    return undefined
  }
}

/** CPU seconds a process on this machine has used so far (itself, not its children), or NaN once it is gone. */
export async function processCpuSeconds(pid: number): Promise<number> {
  const times = await timesOf(pid)
  return times ? times.own / TICKS : Number.NaN
}

/**
 * CPU seconds the PostgreSQL server has used so far, all its processes together: the postmaster, its live
 * backends and helpers, and those that already ended (counted in the postmaster's children times). Undefined
 * when the server is not on this machine or its data directory cannot be read (not a superuser).
 */
export async function postgresCpuReader(pool: pg.Pool): Promise<(() => Promise<number>) | undefined> {
  let postmaster: number
  try {
    const { rows } = await pool.query<{ data_directory: string }>('SHOW data_directory')
    const pidFile = await readFile(join(rows[0]!.data_directory, 'postmaster.pid'), 'utf8')
    postmaster = Number(pidFile.split('\n')[0])
    if (!(await timesOf(postmaster))) return undefined
  } catch {
    return undefined
  }
  return async () => {
    const root = (await timesOf(postmaster))!
    let ticks = root.own + root.ended
    for (const entry of await readdir('/proc')) {
      if (!/^\d+$/.test(entry)) continue
      const times = await timesOf(entry)
      if (times?.ppid === postmaster) ticks += times.own
    }
    return ticks / TICKS
  }
}
