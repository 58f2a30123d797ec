/**
 * The federation key: the AES-256 key that encrypts peers' credentials at rest. It never lives in the
 * database (a dump of the database alone must not yield the peers' secrets):
 *
 * - FEDERATION_KEY (64 hex digits or base64 of 32 bytes) when set: every instance is given the same value;
 * - otherwise DATA_DIR/federation.key, created (32 random bytes, hex, mode 0600) the first time a peer's
 *   credentials are stored, and read from there afterwards. Instances on several machines share that file
 *   or set FEDERATION_KEY.
 *
 * Created on first use rather than at start, so that an instance without peers writes no file.
 */
import { createHash, randomBytes } from 'node:crypto'
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'

export interface FederationKey {
  key: Buffer
  /** The first 16 hex digits of its SHA-256: stored beside each ciphertext. */
  id: string
}

export function keyFromText(text: string): Buffer {
  const value = text.trim()
  const key = /^[0-9a-f]{64}$/i.test(value) ? Buffer.from(value, 'hex') : Buffer.from(value, 'base64')
  if (key.length !== 32) throw new Error('env/FEDERATION_KEY must be 32 bytes: 64 hex digits or their base64')
  return key
}

const withId = (key: Buffer): FederationKey => ({ key, id: createHash('sha256').update(key).digest('hex').slice(0, 16) })

export const KEY_FILE = 'federation.key'

/** Loads (or, when `create`, creates on first use) the federation key; undefined when none exists yet. */
export function federationKeySource(options: { configured: string | undefined; dataDir: string }) {
  let loaded: Promise<FederationKey> | undefined
  const file = join(resolve(options.dataDir), KEY_FILE)
  const read = async (): Promise<Buffer | undefined> => {
    try {
      return keyFromText(await readFile(file, 'utf8'))
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
      throw error
    }
  }
  return async (create: boolean): Promise<FederationKey | undefined> => {
    if (options.configured !== undefined) return withId(keyFromText(options.configured))
    if (loaded) return loaded
    const existing = await read()
    if (existing) return (loaded = Promise.resolve(withId(existing)))
    if (!create) return undefined
    loaded = (async () => {
      await mkdir(resolve(options.dataDir), { recursive: true })
      try {
        // 'wx': two instances sharing DATA_DIR that start at once keep the first file written.
        await writeFile(file, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' })
        await chmod(file, 0o600)
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      }
      return withId((await read())!)
    })()
    loaded.catch(() => (loaded = undefined))
    return loaded
  }
}

export type KeySource = ReturnType<typeof federationKeySource>
