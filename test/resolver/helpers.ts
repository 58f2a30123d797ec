import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Ajv } from 'ajv'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { jsonFixture } from '../helper.js'

type Json = Record<string, unknown>

export interface LinkObject {
  href: string
  title: string
  type?: string
  hreflang?: string[]
  context?: string[]
}

export type LinkContextObject = { anchor: string; itemDescription?: string } & Record<string, unknown>

export const modelLinkset = () =>
  jsonFixture<{ linkset: LinkContextObject[] }>('gs1/resolver-testsuite/modelLinkset.json')

const schema = JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', 'gs1-linkset-schema.json'), 'utf8')) as Json
delete schema.$schema
const ajv = new Ajv({ strict: false, allErrors: true })
const validate = ajv.compile(schema)

/** Errors of a linkset against GS1's linkset schema (the one GS1's resolver test suite uses), or []. */
export function linksetSchemaErrors(linkset: unknown): string[] {
  return validate(linkset) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`)
}

/** "gs1:" for any spelling of the GS1 Web Vocabulary namespace, as GS1's test suite reads linksets. */
export function withCuries<T>(linkset: T): T {
  return JSON.parse(JSON.stringify(linkset).replace(/https?:\/\/((ref|www)\.)?gs1\.org\/voc\//g, 'gs1:')) as T
}

/**
 * Turns a GS1 linkset into link-administration requests: one PUT per anchor, the type of the
 * gs1:defaultLink target (found among the other links) as defaultLinkType.
 */
export function linksetToRegistrations(linkset: LinkContextObject[]): Array<{ path: string; body: Json }> {
  return withCuries(linkset).map((context) => {
    const links: Json[] = []
    let defaultLinkType: string | undefined
    const defaultHref = (context['gs1:defaultLink'] as LinkObject[] | undefined)?.[0]?.href
    for (const [key, value] of Object.entries(context)) {
      if (key === 'anchor' || key === 'itemDescription' || key === 'gs1:defaultLink' || key === 'gs1:defaultLinkMulti') continue
      for (const link of value as LinkObject[]) {
        links.push({ linkType: key, ...link })
        if (defaultHref !== undefined && defaultLinkType === undefined && link.href === defaultHref) defaultLinkType = key
      }
    }
    return {
      path: new URL(context.anchor).pathname,
      body: { itemDescription: context.itemDescription ?? 'item', ...(defaultLinkType ? { defaultLinkType } : {}), links },
    }
  })
}

export async function register(app: FastifyInstance, path: string, body: Json): Promise<LightMyRequestResponse> {
  const response = await app.inject({ method: 'PUT', url: `/links${path}`, payload: body })
  if (response.statusCode !== 201 && response.statusCode !== 200) {
    throw new Error(`PUT /links${path} answered ${response.statusCode}: ${response.body}`)
  }
  return response
}

export async function registerLinkset(app: FastifyInstance, linkset: LinkContextObject[]): Promise<void> {
  for (const { path, body } of linksetToRegistrations(linkset)) await register(app, path, body)
}

/** Link header entries as { url, rel, type }. */
export function linkHeader(response: LightMyRequestResponse): Array<{ url: string; rel?: string; type?: string }> {
  const header = response.headers.link
  if (typeof header !== 'string') return []
  return header.split(/,(?=\s*<)/).map((entry) => {
    const url = /<([^>]*)>/.exec(entry)?.[1] ?? ''
    const rel = /rel="([^"]*)"/.exec(entry)?.[1]
    const type = /type="([^"]*)"/.exec(entry)?.[1]
    return { url, ...(rel ? { rel } : {}), ...(type ? { type } : {}) }
  })
}
