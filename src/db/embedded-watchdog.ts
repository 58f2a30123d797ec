/**
 * Watchdog of an embedded PostgreSQL server: `node embedded-watchdog.js <postmaster pid> <cluster dir>`,
 * spawned detached by the service with a pipe on stdin. The pipe closes when the service process ends,
 * however it ends (kill -9 included); unless the service said "released" first (it stopped the server
 * itself), the watchdog then stops the server, so that it never outlives its service.
 */
import { stopPostmaster } from './postmaster.js'

const pid = Number(process.argv[2])
const clusterDir = process.argv[3]!
let released = false

process.stdin.on('data', (chunk: Buffer) => {
  if (chunk.toString('utf8').includes('released')) released = true
})
process.stdin.on('close', () => {
  if (released) process.exit(0)
  void stopPostmaster(pid, clusterDir).then((stopped) => process.exit(stopped ? 0 : 1))
})
process.stdin.resume()
