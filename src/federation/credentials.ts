/** Peers' credentials: checked, encrypted with AES-256-GCM under the federation key, decrypted only to call the peer. */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import type { CredentialsKind } from '../db/tables/peer.js'
import type { FederationKey } from './key.js'

export type Credentials =
  | { bearer: string }
  | { tokenUrl: string; clientId: string; clientSecret: string; scope?: string }

export function credentialsKind(credentials: Credentials): CredentialsKind {
  return 'bearer' in credentials ? 'bearer' : 'oauth2'
}

/** iv (12) || tag (16) || ciphertext; the peer's id is the additional data, so a ciphertext cannot be moved to another peer. */
export function encryptCredentials(key: FederationKey, peerId: string, credentials: Credentials): Buffer {
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', key.key, iv)
  cipher.setAAD(Buffer.from(peerId, 'utf8'))
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(credentials), 'utf8'), cipher.final()])
  return Buffer.concat([iv, cipher.getAuthTag(), ciphertext])
}

export class CredentialsUnreadable extends Error {}

export function decryptCredentials(key: FederationKey, keyId: string, peerId: string, stored: Buffer): Credentials {
  if (keyId !== key.id) {
    throw new CredentialsUnreadable(`the peer's credentials were encrypted with federation key ${keyId}, this instance has ${key.id} (FEDERATION_KEY or DATA_DIR/federation.key)`)
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', key.key, stored.subarray(0, 12))
    decipher.setAAD(Buffer.from(peerId, 'utf8'))
    decipher.setAuthTag(stored.subarray(12, 28))
    return JSON.parse(Buffer.concat([decipher.update(stored.subarray(28)), decipher.final()]).toString('utf8')) as Credentials
  } catch {
    throw new CredentialsUnreadable("the peer's credentials cannot be decrypted with this instance's federation key")
  }
}
