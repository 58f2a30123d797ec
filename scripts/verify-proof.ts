/**
 * `npm run verify-proof -- proof.json [event.jsonld]`: checks an inclusion proof from
 * GET /events/{eventID}/proof offline (the proof from stdin when the file is `-`), and with
 * the event (as GET /events/{eventID} answers it) that the proof is about that event. Exits 0 when
 * everything holds, 1 otherwise.
 */
import { readFile } from 'node:fs/promises'
import { text } from 'node:stream/consumers'
import { checkProofDocument } from '../src/ledger/check-proof.js'
import { parseJsonExactly } from '../src/epcis/exact-json.js'

async function readJson(source: string): Promise<unknown> {
  const content = source === '-' ? await text(process.stdin) : await readFile(source, 'utf8')
  // Numbers a double cannot hold keep their digits, as the repository hashed them.
  return parseJsonExactly(content)
}

const USAGE = `Usage: npm run verify-proof -- <proof.json | -> [event.json]

Checks an inclusion proof from GET /events/{eventID}/proof against the ledger's rules, offline.
  proof.json   the proof as the service answered it; - reads it from stdin
  event.json   optional: the event as GET /events/{eventID} answers it, to check that the proof is about it
Exit status: 0 the proof verifies, 1 it does not (the reason is printed), 2 usage error.`

const args = process.argv.slice(2)
if (args.length === 0 || args.length > 2 || args.includes('--help') || args.includes('-h')) {
  const asked = args.includes('--help') || args.includes('-h')
  ;(asked ? console.log : console.error)(USAGE)
  process.exit(asked ? 0 : 2)
}
const [proofFile, eventFile] = args as [string, string?]
try {
  const proof = await readJson(proofFile)
  const event = eventFile === undefined ? undefined : await readJson(eventFile)
  const result = await checkProofDocument(proof, event)
  for (const message of result.messages) console.log(message)
  console.log(result.ok ? 'OK: the proof verifies' : 'FAILED: the proof does not verify')
  process.exitCode = result.ok ? 0 : 1
} catch (error) {
  console.log(`FAILED: ${(error as Error).message}`)
  process.exitCode = 1
}
