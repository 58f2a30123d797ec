/**
 * Where deliveries may go (SUBSCRIPTION_DESTINATIONS), against server-side request forgery:
 * `public` refuses every address that is not a public unicast one (loopback, private, link-local,
 * unique-local, CGNAT, multicast, documentation, IPv4-mapped or -embedding IPv6, 0.0.0.0, ...),
 * checked on every address a name resolves to, when a subscription is created and again at each
 * connection (the connection goes to the address that was checked, so a DNS answer cannot change
 * between the check and the connect); `any` allows every address; a comma-separated list of host
 * names allows only those hosts.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns'
import { BlockList, isIP, type LookupFunction } from 'node:net'

export type DestinationPolicy = { kind: 'public' } | { kind: 'any' } | { kind: 'hosts'; hosts: Set<string> }

export function parseDestinationPolicy(setting: string): DestinationPolicy {
  const value = setting.trim().toLowerCase()
  if (value === 'public') return { kind: 'public' }
  if (value === 'any') return { kind: 'any' }
  return { kind: 'hosts', hosts: new Set(value.split(',').map((h) => h.trim()).filter((h) => h.length > 0)) }
}

// Two lists: a BlockList also matches IPv4 addresses against IPv4-mapped IPv6 rules.
const NOT_PUBLIC_V4 = new BlockList()
const NOT_PUBLIC_V6 = new BlockList()
for (const [network, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.88.99.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15],
  ['198.51.100.0', 24], ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) {
  NOT_PUBLIC_V4.addSubnet(network, prefix, 'ipv4')
}
for (const [network, prefix] of [
  ['::', 96], // unspecified, loopback and IPv4-compatible
  ['::ffff:0:0', 96], // IPv4-mapped
  ['64:ff9b::', 96], ['64:ff9b:1::', 48], // NAT64 (embeds an IPv4 address)
  ['100::', 64], ['2001::', 23], ['2001:db8::', 32], ['2002::', 16], // discard, IETF special, documentation, 6to4
  ['fc00::', 7], ['fe80::', 10], ['fec0::', 10], ['ff00::', 8], // unique-local, link-local, site-local, multicast
] as const) {
  NOT_PUBLIC_V6.addSubnet(network, prefix, 'ipv6')
}

/** Whether an address may be the target of a delivery under the `public` policy. */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address)
  if (family === 0) return false
  return family === 4 ? !NOT_PUBLIC_V4.check(address, 'ipv4') : !NOT_PUBLIC_V6.check(address, 'ipv6')
}

export class RefusedDestination extends Error {}

function bareHost(hostname: string): string {
  return hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname
}

/** Checks the URL's scheme and host as far as can be done without DNS; throws RefusedDestination. */
export function checkDestinationUrl(dest: string, policy: DestinationPolicy): URL {
  let url: URL
  try {
    url = new URL(dest)
  } catch {
    throw new RefusedDestination('is not an absolute URL')
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new RefusedDestination('must be an http or https URL')
  const host = bareHost(url.hostname).toLowerCase()
  if (policy.kind === 'hosts' && !policy.hosts.has(host)) {
    throw new RefusedDestination(`host ${host} is not one of SUBSCRIPTION_DESTINATIONS`)
  }
  if (policy.kind === 'public' && isIP(host) !== 0 && !isPublicAddress(host)) {
    throw new RefusedDestination(`${host} is not a public address (SUBSCRIPTION_DESTINATIONS=public)`)
  }
  return url
}

function resolveAll(hostname: string): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) =>
    dnsLookup(hostname, { all: true, verbatim: true }, (err, addresses) => (err ? reject(err) : resolve(addresses))),
  )
}

/** Resolves a host name and refuses it when any address it resolves to is not public. */
async function publicAddresses(hostname: string): Promise<LookupAddress[]> {
  let addresses: LookupAddress[]
  try {
    addresses = await resolveAll(hostname)
  } catch (error) {
    throw new RefusedDestination(`host ${hostname} does not resolve (${(error as NodeJS.ErrnoException).code ?? 'error'})`)
  }
  const refused = addresses.find((a) => !isPublicAddress(a.address))
  if (refused) throw new RefusedDestination(`host ${hostname} resolves to ${refused.address}, which is not a public address`)
  return addresses
}

/** The whole check (scheme, host, and every address the name resolves to under `public`). */
export async function checkDestination(dest: string, policy: DestinationPolicy): Promise<URL> {
  const url = checkDestinationUrl(dest, policy)
  const host = bareHost(url.hostname)
  if (policy.kind === 'public' && isIP(host) === 0) await publicAddresses(host)
  return url
}

/** A `lookup` for http.request that connects only to addresses it has just checked (undefined: no check needed). */
export function guardedLookup(policy: DestinationPolicy): LookupFunction | undefined {
  if (policy.kind !== 'public') return undefined
  return ((hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    publicAddresses(hostname).then(
      (addresses) => {
        if (options.all) callback(null, addresses)
        else callback(null, addresses[0]!.address, addresses[0]!.family)
      },
      (error: Error) => callback(error),
    )
  }) as unknown as LookupFunction
}
