/**
 * `npm run verify-proof -- proof.json [event.jsonld]`: checks an inclusion proof from
 * GET /events/{eventID}/proof offline (the proof from stdin when the file is `-` or missing), and with
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

const [proofFile = '-', eventFile] = process.argv.slice(2)
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
