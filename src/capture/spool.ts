import { createReadStream, createWriteStream } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { ERRORS } from '../errors.js'

/**
 * Receives a request body into a temporary file, refused as soon as it passes `maxBytes`, and hands `use` a
 * stream of the file; the file is removed afterwards whatever happens. A slow client then costs a file handle
 * while it uploads, not memory for its whole body nor a database transaction held open for as long as it takes.
 */
export async function withSpooledBody<T>(
  body: NodeJS.ReadableStream,
  maxBytes: number,
  use: (file: NodeJS.ReadableStream) => Promise<T>,
): Promise<T> {
  const folder = await mkdtemp(join(tmpdir(), 'nguon-capture-'))
  try {
    const path = join(folder, 'body')
    let received = 0
    const limit = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        received += chunk.length
        if (received > maxBytes) done(ERRORS.captureLimitExceeded(`The XML document exceeds the size limit of ${maxBytes} bytes`))
        else done(null, chunk)
      },
    })
    await pipeline(body, limit, createWriteStream(path))
    return await use(createReadStream(path))
  } finally {
    await rm(folder, { recursive: true, force: true })
  }
}
