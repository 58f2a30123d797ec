import { spawn } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { EPCIS_CONTEXT_URL } from '../../src/epcis/known-contexts.js'
import { projectRoot } from '../../src/paths.js'
import { objectEvent } from '../factories.js'
import { ADMIN_KEY, get, ledgerApp, postEvent } from './helpers.js'

/** Runs `npm run verify-proof`'s script the way npm does (tsx), optionally with stdin. */
function verifyProof(args: string[], stdin?: string | 'left-open'): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(projectRoot, 'scripts', 'verify-proof.ts'), ...args], {
      cwd: projectRoot,
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    let output = ''
    child.stdout.on('data', (chunk) => (output += chunk))
    child.stderr.on('data', (chunk) => (output += chunk))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, output }))
    if (stdin === 'left-open') setTimeout(() => child.kill('SIGKILL'), 20_000).unref()
    else child.stdin.end(stdin ?? '')
  })
}

t.test('npm run verify-proof checks a proof offline and exits 0 or 1', async (t) => {
  const { app } = await ledgerApp(t)
  const dir = await mkdtemp(join(tmpdir(), 'nguon-proof-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  const eventID = 'urn:uuid:5b0e8a52-1111-4000-8000-000000000001'
  t.equal((await postEvent(app, { '@context': EPCIS_CONTEXT_URL, ...objectEvent({ eventID }) })).statusCode, 201)
  t.equal((await postEvent(app, { '@context': EPCIS_CONTEXT_URL, ...objectEvent() })).statusCode, 201)
  const proof = (await get(app, `/events/${encodeURIComponent(eventID)}/proof`)).json()
  const event = (await get(app, `/events/${encodeURIComponent(eventID)}`)).json()
  const proofFile = join(dir, 'proof.json')
  const eventFile = join(dir, 'event.json')
  await writeFile(proofFile, JSON.stringify(proof))
  await writeFile(eventFile, JSON.stringify(event))

  const ok = await verifyProof([proofFile, eventFile])
  t.equal(ok.code, 0, ok.output)
  t.match(ok.output, /OK: the proof verifies/)

  const fromStdin = await verifyProof(['-'], JSON.stringify(proof))
  t.equal(fromStdin.code, 0, fromStdin.output)

  const forged = structuredClone(proof)
  forged.proofs[0].bodyDigest = '0'.repeat(64)
  const bad = await verifyProof(['-'], JSON.stringify(forged))
  t.equal(bad.code, 1)
  t.match(bad.output, /FAILED/)

  const otherEvent = structuredClone(event)
  otherEvent.epcisBody.queryResults.resultsBody.eventList[0].bizStep = 'receiving'
  await writeFile(eventFile, JSON.stringify(otherEvent))
  const wrongEvent = await verifyProof([proofFile, eventFile])
  t.equal(wrongEvent.code, 1)
  t.match(wrongEvent.output, /CBV 2.0 hash/)

  const notJson = await verifyProof(['-'], 'not json')
  t.equal(notJson.code, 1)
})

t.test('npm run verify-proof checks an event whose numbers a double cannot hold', async (t) => {
  const { app } = await ledgerApp(t)
  const dir = await mkdtemp(join(tmpdir(), 'nguon-proof-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  const eventID = 'urn:uuid:5b0e8a52-1111-4000-8000-000000000002'
  const sent = JSON.stringify({ '@context': EPCIS_CONTEXT_URL, ...objectEvent({ eventID, quantityList: [{ epcClass: 'urn:epc:class:lgtin:8934567.012345.L1', quantity: 1 }] }) })
  const posted = await postEvent(app, JSON.parse(sent))
  t.equal(posted.statusCode, 201)
  const exact = await app.inject({
    method: 'POST', url: '/events', headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/ld+json' },
    payload: sent.replace(eventID, eventID.replace(/2$/, '3')).replace('"quantity":1', '"quantity":12345678901234567'),
  })
  t.equal(exact.statusCode, 201, exact.body)
  const id = eventID.replace(/2$/, '3')
  const proofFile = join(dir, 'proof.json')
  const eventFile = join(dir, 'event.json')
  await writeFile(proofFile, (await get(app, `/events/${encodeURIComponent(id)}/proof`)).body)
  const eventText = (await get(app, `/events/${encodeURIComponent(id)}`)).body
  t.ok(eventText.includes('12345678901234567'))
  await writeFile(eventFile, eventText)
  const ok = await verifyProof([proofFile, eventFile])
  t.equal(ok.code, 0, ok.output)
})

t.test('npm run verify-proof without arguments prints its usage instead of waiting on stdin', async (t) => {
  const started = Date.now()
  const run = await verifyProof([], 'left-open')
  t.equal(run.code, 2, run.output)
  t.match(run.output, /Usage: npm run verify-proof -- <proof\.json \| -> \[event\.json\]/)
  t.ok(Date.now() - started < 15_000, 'it did not wait for stdin')
  const help = await verifyProof(['--help'])
  t.equal(help.code, 0)
  t.match(help.output, /Usage:/)
})
