import { OaiError } from './errors.js'

// Which arguments each verb takes (OAI-PMH 2.0, section 4): anything else, a missing required one,
// or one given twice is badArgument; a resumptionToken is exclusive.

const VERBS = ['Identify', 'ListMetadataFormats', 'ListSets', 'GetRecord', 'ListIdentifiers', 'ListRecords'] as const
export type Verb = (typeof VERBS)[number]

interface Arguments {
  readonly required: readonly string[]
  readonly optional: readonly string[]
  readonly exclusive?: string
}

const ARGUMENTS: Readonly<Record<Verb, Arguments>> = {
  Identify: { required: [], optional: [] },
  ListMetadataFormats: { required: [], optional: ['identifier'] },
  ListSets: { required: [], optional: [], exclusive: 'resumptionToken' },
  GetRecord: { required: ['identifier', 'metadataPrefix'], optional: [] },
  ListIdentifiers: { required: ['metadataPrefix'], optional: ['from', 'until', 'set'], exclusive: 'resumptionToken' },
  ListRecords: { required: ['metadataPrefix'], optional: ['from', 'until', 'set'], exclusive: 'resumptionToken' },
}

export interface OaiRequest {
  readonly verb: Verb
  /** The arguments besides the verb, each once. */
  readonly arguments: Readonly<Record<string, string>>
}

const isVerb = (value: string | undefined): value is Verb => (VERBS as readonly string[]).includes(value ?? '')

/** @throws OaiError badVerb or badArgument */
export function parseOaiRequest(pairs: Iterable<readonly [string, string]>): OaiRequest {
  const values = new Map<string, string[]>()
  for (const [name, value] of pairs) values.set(name, [...(values.get(name) ?? []), value])
  const verbs = values.get('verb') ?? []
  if (verbs.length !== 1 || !isVerb(verbs[0]))
    throw new OaiError('badVerb', verbs.length > 1 ? 'The verb is given more than once.' : `The verb must be one of ${VERBS.join(', ')}.`)
  const verb = verbs[0]
  values.delete('verb')
  const repeated = [...values].filter(([, list]) => list.length > 1).map(([name]) => name)
  if (repeated.length > 0) throw new OaiError('badArgument', `Given more than once: ${repeated.join(', ')}.`)
  const args = Object.fromEntries([...values].map(([name, [value]]) => [name, value as string]))
  const { required, optional, exclusive } = ARGUMENTS[verb]
  const names = Object.keys(args)
  if (exclusive !== undefined && names.includes(exclusive)) {
    if (names.length > 1) throw new OaiError('badArgument', `${exclusive} must be the only argument besides the verb.`)
    return { verb, arguments: args }
  }
  const unknown = names.filter((name) => !required.includes(name) && !optional.includes(name))
  if (unknown.length > 0) throw new OaiError('badArgument', `${verb} takes no argument ${unknown.join(', ')}.`)
  const missing = required.filter((name) => !names.includes(name))
  if (missing.length > 0) throw new OaiError('badArgument', `${verb} requires ${missing.join(' and ')}.`)
  return { verb, arguments: args }
}
