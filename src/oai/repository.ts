import type { Catalogue, Work } from '../catalogue/catalogue.js'
import { xmlEscape, xmlFragment, XSI } from '../formats/xml.js'
import { datestamp, GRANULARITY, parseDatestamp } from './dates.js'
import { OaiError } from './errors.js'
import { OAI_METADATA_FORMATS, oaiMetadataFormat, type OaiMetadataFormat } from './metadata-formats.js'
import { parseOaiRequest, type Verb } from './requests.js'
import { decodeToken, encodeToken, type ListPosition } from './tokens.js'

// An OAI-PMH 2.0 repository over one catalogue snapshot. The file store keeps no time of change per
// record, so every record's datestamp is the catalogue's (when its data file was last written), and
// no record is ever reported deleted: a record removed from the file is simply gone.

const OAI_NAMESPACE = 'http://www.openarchives.org/OAI/2.0/'
const OAI_SCHEMA = 'http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd'
/** Records per ListRecords answer, and headers per ListIdentifiers answer: what bounds its memory. */
export const RECORDS_PER_PAGE = 500
const IDENTIFIERS_PER_PAGE = 2000

export interface Repository {
  readonly catalogue: Catalogue
  /** Names the catalogue's generation; resumption tokens of another generation are refused. */
  readonly catalogueKey: string
  /** The URL of the OAI-PMH endpoint. */
  readonly baseUrl: string
  /** The domain in each record's identifier, oai:{repositoryId}:{record id}. */
  readonly repositoryId: string
  readonly repositoryName: string
  readonly adminEmail: string
}

function oaiIdentifier(repository: Repository, work: Work): string {
  return `oai:${repository.repositoryId}:${encodeURIComponent(work.id)}`
}

function workOf(repository: Repository, identifier: string): Work {
  const prefix = `oai:${repository.repositoryId}:`
  let id: string | undefined
  try {
    id = identifier.startsWith(prefix) ? decodeURIComponent(identifier.slice(prefix.length)) : undefined
  } catch {
    id = undefined
  }
  const work = id === undefined ? undefined : repository.catalogue.find(id)
  if (work === undefined || work.id !== id) throw new OaiError('idDoesNotExist', `No record has the identifier "${identifier}".`)
  return work
}

function metadataFormat(prefix: string, work?: Work): OaiMetadataFormat {
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

/** The sets: one per CSL type in the catalogue, its setSpec the type itself. */
function setSpecs(catalogue: Catalogue): string[] {
  return [...new Set(catalogue.works.map((work) => work.item.type))].sort()
}

/** A record's header, written as text: every record of a list has one. */
function headerElement(repository: Repository, work: Work): string {
  const identifier = xmlEscape(oaiIdentifier(repository, work))
  const stamp = datestamp(repository.catalogue.modified)
  return `<header><identifier>${identifier}</identifier><datestamp>${stamp}</datestamp><setSpec>${xmlEscape(work.item.type)}</setSpec></header>`
}

interface ListPage {
  readonly works: readonly Work[]
  readonly next?: ListPosition
  readonly total: number
  readonly cursor: number
}

/** The list a ListIdentifiers or ListRecords request asks for, from where its token says. */
function listPosition(repository: Repository, args: Readonly<Record<string, string>>): ListPosition {
  if (args.resumptionToken !== undefined) return decodeToken(args.resumptionToken, repository.catalogueKey)
  return {
    metadataPrefix: args.metadataPrefix as string,
    position: 0,
    ...(args.from === undefined ? {} : { from: args.from }),
    ...(args.until === undefined ? {} : { until: args.until }),
    ...(args.set === undefined ? {} : { set: args.set }),
    catalogue: repository.catalogueKey,
  }
}

/** Selects the works of a list: by set, by datestamp and by whether the format can give them. */
function selection(repository: Repository, list: ListPosition, format: OaiMetadataFormat): (work: Work) => boolean {
  const from = list.from === undefined ? undefined : parseDatestamp('from', list.from)
  const until = list.until === undefined ? undefined : parseDatestamp('until', list.until)
  if (from && until && from.granularity !== until.granularity)
    throw new OaiError('badArgument', 'from and until must have the same granularity.')
  if (from && until && from.time > until.time) throw new OaiError('badArgument', 'from is later than until.')
  const stamp = Date.parse(datestamp(repository.catalogue.modified))
  if ((from && stamp < from.time) || (until && stamp > until.time)) return () => false
  return (work) => (list.set === undefined || work.item.type === list.set) && format.gap?.(work) === undefined
}

function listPage(repository: Repository, list: ListPosition, format: OaiMetadataFormat, size: number): ListPage {
  const selected = selection(repository, list, format)
  const { works } = repository.catalogue
  let total = 0
  let cursor = 0
  const page: Work[] = []
  let next: number | undefined
  works.forEach((work, index) => {
    if (!selected(work)) return
    total++
    if (index < list.position) cursor++
    else if (page.length < size) page.push(work)
    else next ??= index
  })
  if (total === 0) throw new OaiError('noRecordsMatch', 'No record matches the arguments.')
  if (list.position > works.length) throw new OaiError('badResumptionToken', 'The resumption token points past the end of the list.')
  return { works: page, total, cursor, ...(next === undefined ? {} : { next: { ...list, position: next } }) }
}

function tokenElement(page: ListPage, wasResumed: boolean): string {
  if (page.next === undefined && !wasResumed) return ''
  return xmlFragment((parent) => {
    const token = parent.ele('resumptionToken', { completeListSize: String(page.total), cursor: String(page.cursor) })
    if (page.next !== undefined) token.txt(encodeToken(page.next))
  })
}

/** One record of a list: its header and its metadata, written on their own. */
function recordElement(repository: Repository, work: Work, format: OaiMetadataFormat): string {
  return `<record>${headerElement(repository, work)}<metadata>${format.write(work)}</metadata></record>`
}

/** The verb's element, written whole once its arguments are checked. */
type VerbAnswer = (repository: Repository, args: Readonly<Record<string, string>>) => string

const identify: VerbAnswer = (repository) =>
  xmlFragment((parent) =>
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
      .txt(datestamp(repository.catalogue.modified))
      .up()
      .ele('deletedRecord')
      .txt('no')
      .up()
      .ele('granularity')
      .txt(GRANULARITY),
  )

const listMetadataFormats: VerbAnswer = (repository, { identifier }) => {
  const work = identifier === undefined ? undefined : workOf(repository, identifier)
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

const listSets: VerbAnswer = (repository, { resumptionToken }) => {
  if (resumptionToken !== undefined) throw new OaiError('badResumptionToken', 'The list of sets comes whole; it has no resumption tokens.')
  const specs = setSpecs(repository.catalogue)
  if (specs.length === 0) throw new OaiError('noSetHierarchy', 'An empty catalogue has no sets.')
  return xmlFragment((parent) => {
    const list = parent.ele('ListSets')
    for (const spec of specs) list.ele('set').ele('setSpec').txt(spec).up().ele('setName').txt(`Works of CSL type ${spec}`)
  })
}

const getRecord: VerbAnswer = (repository, { identifier, metadataPrefix }) => {
  const work = workOf(repository, identifier as string)
  const format = metadataFormat(metadataPrefix as string, work)
  return `<GetRecord>${recordElement(repository, work, format)}</GetRecord>`
}

const listIdentifiers: VerbAnswer = (repository, args) => {
  const list = listPosition(repository, args)
  const page = listPage(repository, list, metadataFormat(list.metadataPrefix), IDENTIFIERS_PER_PAGE)
  const headers = page.works.map((work) => headerElement(repository, work)).join('')
  return `<ListIdentifiers>${headers}${tokenElement(page, args.resumptionToken !== undefined)}</ListIdentifiers>`
}

const listRecords: VerbAnswer = (repository, args) => {
  const list = listPosition(repository, args)
  const format = metadataFormat(list.metadataPrefix)
  const page = listPage(repository, list, format, RECORDS_PER_PAGE)
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
export function answerOai(repository: Repository, pairs: readonly (readonly [string, string])[], now: Date): string {
  let attributes: Record<string, string> | undefined
  let body: string
  try {
    const request = parseOaiRequest(pairs)
    body = ANSWERS[request.verb](repository, request.arguments)
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
