import type { CatalogueStore, StoredWork, WorkQuery } from '../catalogue/store.js'
import { xmlEscape, xmlFragment, XSI } from '../formats/xml.js'
import { datestamp, GRANULARITY, parseDatestamp } from './dates.js'
import { OaiError } from './errors.js'
import { OAI_METADATA_FORMATS, oaiMetadataFormat, type OaiMetadataFormat } from './metadata-formats.js'
import { parseOaiRequest, type Verb } from './requests.js'
import { decodeToken, encodeToken, type ListPosition } from './tokens.js'

// An OAI-PMH 2.0 repository over the catalogue store. A record's datestamp is its time of change, and
// no record is ever reported deleted: a record removed from the catalogue is simply gone.

const OAI_NAMESPACE = 'http://www.openarchives.org/OAI/2.0/'
const OAI_SCHEMA = 'http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd'
/** Records per ListRecords answer, and headers per ListIdentifiers answer: what bounds its memory. */
export const RECORDS_PER_PAGE = 500
const IDENTIFIERS_PER_PAGE = 2000

export interface Repository {
  readonly store: CatalogueStore
  /** The URL of the OAI-PMH endpoint. */
  readonly baseUrl: string
  /** The domain in each record's identifier, oai:{repositoryId}:{record id}. */
  readonly repositoryId: string
  readonly repositoryName: string
  readonly adminEmail: string
}

function oaiIdentifier(repository: Repository, work: StoredWork): string {
  return `oai:${repository.repositoryId}:${encodeURIComponent(work.id)}`
}

async function workOf(repository: Repository, identifier: string): Promise<StoredWork> {
  const prefix = `oai:${repository.repositoryId}:`
  let id: string | undefined
  try {
    id = identifier.startsWith(prefix) ? decodeURIComponent(identifier.slice(prefix.length)) : undefined
  } catch {
    id = undefined
  }
  const work = id === undefined ? undefined : await repository.store.find(id)
  if (work === undefined || work.id !== id) throw new OaiError('idDoesNotExist', `No record has the identifier "${identifier}".`)
  return work
}

function metadataFormat(prefix: string, work?: StoredWork): OaiMetadataFormat {
  const format = oaiMetadataFormat(prefix)
  if (format === undefined)
    throw new OaiError(
      'cannotDisseminateFormat',
      `No metadata format "${prefix}"; there are ${OAI_METADATA_FORMATS.map((f) => f.prefix).join(', ')}.`,
    )
  const gap = work === undefined ? undefined : format.gap?.(work)
  if (gap !== undefined) throw new OaiError('cannotDisseminateFormat', `The record cannot be given in ${prefix}: ${gap}.`)
  return format
}

/** A record's header, written as text: every record of a list has one. */
function headerElement(repository: Repository, work: StoredWork): string {
  const identifier = xmlEscape(oaiIdentifier(repository, work))
  const stamp = datestamp(work.modified)
  return `<header><identifier>${identifier}</identifier><datestamp>${stamp}</datestamp><setSpec>${xmlEscape(work.item.type)}</setSpec></header>`
}

interface ListPage {
  readonly works: readonly StoredWork[]
  readonly next?: ListPosition
  /** How many records the whole list has; unknown (and not sent) when the format cannot give every work. */
  readonly total: number | undefined
  readonly cursor: number
}

/** The list a ListIdentifiers or ListRecords request asks for, from where its token says. */
function listPosition(args: Readonly<Record<string, string>>): ListPosition {
  if (args.resumptionToken !== undefined) return decodeToken(args.resumptionToken)
  return {
    metadataPrefix: args.metadataPrefix as string,
    afterSeq: 0,
    cursor: 0,
    ...(args.from === undefined ? {} : { from: args.from }),
    ...(args.until === undefined ? {} : { until: args.until }),
    ...(args.set === undefined ? {} : { set: args.set }),
  }
}

/** The works of a list, by set and by datestamp: a record's datestamp is its time of change, in whole seconds. */
function selection(list: ListPosition): WorkQuery {
  const from = list.from === undefined ? undefined : parseDatestamp('from', list.from)
  const until = list.until === undefined ? undefined : parseDatestamp('until', list.until)
  if (from && until && from.granularity !== until.granularity)
    throw new OaiError('badArgument', 'from and until must have the same granularity.')
  if (from && until && from.time > until.time) throw new OaiError('badArgument', 'from is later than until.')
  return {
    type: list.set,
    modifiedFrom: from === undefined ? undefined : new Date(from.time),
    // A datestamp drops the milliseconds, so its second runs to its last millisecond.
    modifiedUntil: until === undefined ? undefined : new Date(until.time + 999),
  }
}

/** The next `size` works of the list that the format can give, and whether more follow. */
async function listPage(repository: Repository, list: ListPosition, format: OaiMetadataFormat, size: number): Promise<ListPage> {
  const query = selection(list)
  const page: StoredWork[] = []
  let more = false
  scanning: for await (const batch of repository.store.scan(query, { afterSeq: list.afterSeq, batchSize: size + 1 })) {
    for (const work of batch) {
      if (format.gap?.(work) !== undefined) continue
      if (page.length === size) {
        more = true
        break scanning
      }
      page.push(work)
    }
  }
  if (page.length === 0 && list.cursor === 0) throw new OaiError('noRecordsMatch', 'No record matches the arguments.')
  const total = format.gap === undefined ? (await repository.store.list({ query, rows: 0 })).total : undefined
  const last = page.at(-1)
  const next = more && last !== undefined ? { ...list, afterSeq: last.seq, cursor: list.cursor + page.length } : undefined
  return { works: page, total, cursor: list.cursor, ...(next === undefined ? {} : { next }) }
}

function tokenElement(page: ListPage, wasResumed: boolean): string {
  if (page.next === undefined && !wasResumed) return ''
  return xmlFragment((parent) => {
    const size = page.total === undefined ? {} : { completeListSize: String(page.total) }
    const token = parent.ele('resumptionToken', { ...size, cursor: String(page.cursor) })
    if (page.next !== undefined) token.txt(encodeToken(page.next))
  })
}

/** One record of a list: its header and its metadata, written on their own. */
function recordElement(repository: Repository, work: StoredWork, format: OaiMetadataFormat): string {
  return `<record>${headerElement(repository, work)}<metadata>${format.write(work)}</metadata></record>`
}

/** The verb's element, written whole once its arguments are checked. */
type VerbAnswer = (repository: Repository, args: Readonly<Record<string, string>>) => Promise<string>

const identify: VerbAnswer = async (repository) => {
  const { earliestModified } = await repository.store.state()
  return xmlFragment((parent) =>
    parent
      .ele('Identify')
      .ele('repositoryName')
      .txt(repository.repositoryName)
      .up()
      .ele('baseURL')
      .txt(repository.baseUrl)
      .up()
      .ele('protocolVersion')
      .txt('2.0')
      .up()
      .ele('adminEmail')
      .txt(repository.adminEmail)
      .up()
      .ele('earliestDatestamp')
      .txt(datestamp(earliestModified))
      .up()
      .ele('deletedRecord')
      .txt('no')
      .up()
      .ele('granularity')
      .txt(GRANULARITY),
  )
}

const listMetadataFormats: VerbAnswer = async (repository, { identifier }) => {
  const work = identifier === undefined ? undefined : await workOf(repository, identifier)
  const formats = OAI_METADATA_FORMATS.filter((format) => work === undefined || format.gap?.(work) === undefined)
  if (formats.length === 0) throw new OaiError('noMetadataFormats', 'The record can be given in no metadata format.')
  return xmlFragment((parent) => {
    const list = parent.ele('ListMetadataFormats')
    for (const { prefix, schema, namespace } of formats) {
      list
        .ele('metadataFormat')
        .ele('metadataPrefix')
        .txt(prefix)
        .up()
        .ele('schema')
        .txt(schema)
        .up()
        .ele('metadataNamespace')
        .txt(namespace)
    }
  })
}

/** The sets: one per CSL type in the catalogue, its setSpec the type itself. */
const listSets: VerbAnswer = async (repository, { resumptionToken }) => {
  if (resumptionToken !== undefined) throw new OaiError('badResumptionToken', 'The list of sets comes whole; it has no resumption tokens.')
  const specs = await repository.store.types()
  if (specs.length === 0) throw new OaiError('noSetHierarchy', 'An empty catalogue has no sets.')
  return xmlFragment((parent) => {
    const list = parent.ele('ListSets')
    for (const spec of specs) list.ele('set').ele('setSpec').txt(spec).up().ele('setName').txt(`Works of CSL type ${spec}`)
  })
}

const getRecord: VerbAnswer = async (repository, { identifier, metadataPrefix }) => {
  const work = await workOf(repository, identifier as string)
  const format = metadataFormat(metadataPrefix as string, work)
  return `<GetRecord>${recordElement(repository, work, format)}</GetRecord>`
}

const listIdentifiers: VerbAnswer = async (repository, args) => {
  const list = listPosition(args)
  const page = await listPage(repository, list, metadataFormat(list.metadataPrefix), IDENTIFIERS_PER_PAGE)
  const headers = page.works.map((work) => headerElement(repository, work)).join('')
  return `<ListIdentifiers>${headers}${tokenElement(page, args.resumptionToken !== undefined)}</ListIdentifiers>`
}

const listRecords: VerbAnswer = async (repository, args) => {
  const list = listPosition(args)
  const format = metadataFormat(list.metadataPrefix)
  const page = await listPage(repository, list, format, RECORDS_PER_PAGE)
  const records = page.works.map((work) => recordElement(repository, work, format)).join('')
  return `<ListRecords>${records}${tokenElement(page, args.resumptionToken !== undefined)}</ListRecords>`
}

const ANSWERS: Readonly<Record<Verb, VerbAnswer>> = {
  Identify: identify,
  ListMetadataFormats: listMetadataFormats,
  ListSets: listSets,
  GetRecord: getRecord,
  ListIdentifiers: listIdentifiers,
  ListRecords: listRecords,
}

// The root element is written as text around the parts: its namespaces are fixed, and its children,
// written without a namespace of their own, take its default one.
const ROOT_START = `<OAI-PMH xmlns="${OAI_NAMESPACE}" xmlns:xsi="${XSI}" xsi:schemaLocation="${OAI_NAMESPACE} ${OAI_SCHEMA}">`

/**
 * The XML answer to one OAI-PMH request, errors included: the protocol answers them in the document.
 * Each verb checks its arguments before it writes, so an error never follows half an answer. The
 * answer is assembled from compact parts, each written on its own, so that a page of records never
 * becomes one tree in memory.
 */
export async function answerOai(repository: Repository, pairs: readonly (readonly [string, string])[], now: Date): Promise<string> {
  let attributes: Record<string, string> | undefined
  let body: string
  try {
    const request = parseOaiRequest(pairs)
    body = await ANSWERS[request.verb](repository, request.arguments)
    attributes = { verb: request.verb, ...request.arguments }
  } catch (error) {
    if (!(error instanceof OaiError)) throw error
    // After badVerb or badArgument the request element carries no attributes.
    if (error.code !== 'badVerb' && error.code !== 'badArgument') {
      const request = parseOaiRequest(pairs)
      attributes = { verb: request.verb, ...request.arguments }
    }
    body = xmlFragment((parent) => parent.ele('error', { code: error.code }).txt(error.message))
  }
  const head = xmlFragment((parent) => {
    parent.ele('responseDate').txt(datestamp(now))
    parent.ele('request', attributes).txt(repository.baseUrl)
  })
  return `<?xml version="1.0" encoding="UTF-8"?>\n${ROOT_START}${head}${body}</OAI-PMH>\n`
}
