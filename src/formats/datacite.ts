import type { Work } from '../catalogue/catalogue.js'
import type { CslItem, CslName } from '../catalogue/schema.js'
import { isoDate, keywords, languageTag, pageRange, yearOf } from './csl-fields.js'
import { invertedName, withParticlesFolded } from './names.js'
import { textElement, XSI, xmlRecords, type XmlNode } from './xml.js'

// DataCite Metadata Schema 4.7, from CSL-JSON. A mandatory property the record lacks is written with
// DataCite's standard code for unknown information rather than invented; a work without a DOI carries
// the code for "to be assigned", as a record prepared for registration does.

export const DATACITE_NAMESPACE = 'http://datacite.org/schema/kernel-4'
export const DATACITE_SCHEMA = 'http://schema.datacite.org/meta/kernel-4.7/metadata.xsd'
/** DataCite's standard values for unknown information. */
const UNAVAILABLE = '(:unav)'
const TO_BE_ASSIGNED = '(:tba)'

/** resourceTypeGeneral by CSL type; any type not named here is Text. */
export const DATACITE_TYPES: Readonly<Partial<Record<CslItem['type'], string>>> = {
  article: 'Preprint',
  'article-journal': 'JournalArticle',
  book: 'Book',
  broadcast: 'Audiovisual',
  chapter: 'BookChapter',
  collection: 'Collection',
  dataset: 'Dataset',
  event: 'Event',
  figure: 'Image',
  graphic: 'Image',
  map: 'Image',
  motion_picture: 'Audiovisual',
  'paper-conference': 'ConferencePaper',
  performance: 'Event',
  periodical: 'Journal',
  report: 'Report',
  software: 'Software',
  song: 'Sound',
  speech: 'Presentation',
  standard: 'Standard',
  thesis: 'Dissertation',
}

/** The relatedItemType of the container (journal, book, proceedings) a work is published in. */
const CONTAINER_TYPES: Readonly<Partial<Record<CslItem['type'], string>>> = {
  'article-journal': 'Journal',
  chapter: 'Book',
  'paper-conference': 'ConferenceProceeding',
}

interface DataCiteName {
  readonly name: string
  /** Absent for DataCite's code for an unknown creator. */
  readonly nameType?: 'Personal' | 'Organizational'
  readonly givenName?: string
  readonly familyName?: string
}

interface DataCiteRelatedItem {
  readonly relatedItemType: string
  readonly relationType: 'IsPublishedIn'
  readonly relatedItemIdentifier?: { readonly relatedItemIdentifier: string; readonly relatedItemIdentifierType: 'ISSN' | 'ISBN' }
  readonly titles: readonly { readonly title: string }[]
  readonly volume?: string
  readonly issue?: string
  readonly firstPage?: string
  readonly lastPage?: string
}

/** One record in the shape of DataCite's JSON (its REST API's attributes), which the XML follows. */
interface DataCiteRecord {
  readonly doi?: string
  readonly identifier: { readonly identifier: string; readonly identifierType: 'DOI' }
  readonly url?: string
  readonly types: { readonly resourceTypeGeneral: string; readonly resourceType: string }
  readonly creators: readonly DataCiteName[]
  readonly titles: readonly { readonly title: string; readonly lang?: string }[]
  readonly publisher: { readonly name: string }
  readonly publicationYear: string
  readonly subjects?: readonly { readonly subject: string }[]
  readonly contributors?: readonly (DataCiteName & { readonly contributorType: 'Editor' })[]
  readonly dates?: readonly { readonly date: string; readonly dateType: 'Issued' }[]
  readonly language?: string
  readonly alternateIdentifiers: readonly { readonly alternateIdentifier: string; readonly alternateIdentifierType: string }[]
  readonly version?: string
  readonly descriptions?: readonly { readonly description: string; readonly descriptionType: 'Abstract' }[]
  readonly relatedItems?: readonly DataCiteRelatedItem[]
  readonly schemaVersion: typeof DATACITE_NAMESPACE
}

/** Why a work cannot be written as DataCite metadata, if it cannot: the year has no unknown-value code. */
export function dataciteGap(work: Work): string | undefined {
  return yearOf(work.item.issued) === undefined ? 'DataCite requires a publication year, and the record has no issued year' : undefined
}

function dataciteName(name: CslName): DataCiteName {
  const folded = withParticlesFolded(name)
  if (folded.family === undefined) return { name: invertedName(name), nameType: 'Organizational' }
  return {
    name: invertedName(name),
    nameType: 'Personal',
    ...(folded.given ? { givenName: folded.given } : {}),
    familyName: folded.family,
  }
}

function relatedItem(item: CslItem): DataCiteRelatedItem | undefined {
  const range = pageRange(item.page)
  const identifier = item.ISSN ?? item.ISBN
  const hasPart = [item['container-title'], item.volume, item.issue, item.page].some((value) => value !== undefined)
  if (!hasPart) return undefined
  return defined({
    relatedItemType: CONTAINER_TYPES[item.type] ?? 'Collection',
    relationType: 'IsPublishedIn' as const,
    relatedItemIdentifier:
      identifier === undefined
        ? undefined
        : { relatedItemIdentifier: identifier, relatedItemIdentifierType: item.ISSN !== undefined ? ('ISSN' as const) : ('ISBN' as const) },
    titles: item['container-title'] === undefined ? [] : [{ title: item['container-title'] }],
    volume: item.volume === undefined ? undefined : String(item.volume),
    issue: item.issue === undefined ? undefined : String(item.issue),
    firstPage: range?.first ?? (item.page === undefined ? undefined : String(item.page)),
    lastPage: range?.last,
  })
}

function defined<T extends object>(node: T): T {
  return Object.fromEntries(Object.entries(node).filter(([, value]) => value !== undefined)) as T
}

/** @throws Error when dataciteGap names a gap; callers check it first. */
function dataciteRecord(work: Work): DataCiteRecord {
  const { item } = work
  const year = yearOf(item.issued)
  if (year === undefined) throw new Error(dataciteGap(work))
  const language = languageTag(item.language)
  const related = relatedItem(item)
  const subjects = keywords(item.keyword)
  const date = isoDate(item.issued)
  return defined({
    doi: item.DOI,
    identifier: { identifier: item.DOI ?? TO_BE_ASSIGNED, identifierType: 'DOI' as const },
    url: item.URL,
    types: { resourceTypeGeneral: DATACITE_TYPES[item.type] ?? 'Text', resourceType: item.genre ?? item.type },
    creators: item.author?.length ? item.author.map(dataciteName) : [{ name: UNAVAILABLE }],
    titles: [{ title: item.title ?? UNAVAILABLE, ...(language && item.title !== undefined ? { lang: language } : {}) }],
    publisher: { name: item.publisher ?? UNAVAILABLE },
    publicationYear: year,
    subjects: subjects.length > 0 ? subjects.map((subject) => ({ subject })) : undefined,
    contributors: item.editor?.map((name) => ({ ...dataciteName(name), contributorType: 'Editor' as const })),
    dates: date === undefined ? undefined : [{ date, dateType: 'Issued' as const }],
    language,
    alternateIdentifiers: [{ alternateIdentifier: work.id, alternateIdentifierType: 'Local' }],
    version: item.version,
    descriptions: item.abstract === undefined ? undefined : [{ description: item.abstract, descriptionType: 'Abstract' as const }],
    relatedItems: related === undefined ? undefined : [related],
    schemaVersion: DATACITE_NAMESPACE,
  })
}

function appendName(parent: XmlNode, element: 'creator' | 'contributor', name: DataCiteName, attributes?: Record<string, string>): void {
  const node = parent.ele(element, attributes)
  node.ele(`${element}Name`, name.nameType === undefined ? {} : { nameType: name.nameType }).txt(name.name)
  textElement(node, 'givenName', name.givenName)
  textElement(node, 'familyName', name.familyName)
}

/** Appends the work's `<resource>` element; inside another document (OAI-PMH), without a schema location. */
export function appendDataciteResource(parent: XmlNode, work: Work, standalone = true): void {
  const record = dataciteRecord(work)
  const location = { 'xmlns:xsi': XSI, 'xsi:schemaLocation': `${DATACITE_NAMESPACE} ${DATACITE_SCHEMA}` }
  const resource = parent.ele(DATACITE_NAMESPACE, 'resource', standalone ? location : {})
  resource.ele('identifier', { identifierType: 'DOI' }).txt(record.identifier.identifier)
  const creators = resource.ele('creators')
  for (const creator of record.creators) appendName(creators, 'creator', creator)
  const titles = resource.ele('titles')
  for (const { title, lang } of record.titles) titles.ele('title', lang === undefined ? {} : { 'xml:lang': lang }).txt(title)
  resource.ele('publisher').txt(record.publisher.name)
  resource.ele('publicationYear').txt(record.publicationYear)
  resource.ele('resourceType', { resourceTypeGeneral: record.types.resourceTypeGeneral }).txt(record.types.resourceType)
  if (record.subjects) {
    const subjects = resource.ele('subjects')
    for (const { subject } of record.subjects) subjects.ele('subject').txt(subject)
  }
  if (record.contributors) {
    const contributors = resource.ele('contributors')
    for (const contributor of record.contributors)
      appendName(contributors, 'contributor', contributor, { contributorType: contributor.contributorType })
  }
  if (record.dates) {
    const dates = resource.ele('dates')
    for (const { date, dateType } of record.dates) dates.ele('date', { dateType }).txt(date)
  }
  textElement(resource, 'language', record.language)
  const alternates = resource.ele('alternateIdentifiers')
  for (const { alternateIdentifier, alternateIdentifierType } of record.alternateIdentifiers)
    alternates.ele('alternateIdentifier', { alternateIdentifierType }).txt(alternateIdentifier)
  textElement(resource, 'version', record.version)
  if (record.descriptions) {
    const descriptions = resource.ele('descriptions')
    for (const { description, descriptionType } of record.descriptions)
      descriptions.ele('description', { descriptionType }).txt(description)
  }
  if (record.relatedItems) {
    const relatedItems = resource.ele('relatedItems')
    for (const related of record.relatedItems) appendRelatedItem(relatedItems, related)
  }
}

function appendRelatedItem(parent: XmlNode, related: DataCiteRelatedItem): void {
  const node = parent.ele('relatedItem', { relatedItemType: related.relatedItemType, relationType: related.relationType })
  if (related.relatedItemIdentifier) {
    const { relatedItemIdentifier, relatedItemIdentifierType } = related.relatedItemIdentifier
    node.ele('relatedItemIdentifier', { relatedItemIdentifierType }).txt(relatedItemIdentifier)
  }
  if (related.titles.length > 0) {
    const titles = node.ele('titles')
    for (const { title } of related.titles) titles.ele('title').txt(title)
  }
  textElement(node, 'volume', related.volume)
  textElement(node, 'issue', related.issue)
  textElement(node, 'firstPage', related.firstPage)
  textElement(node, 'lastPage', related.lastPage)
}

/** DataCite XML: one `<resource>`, or several inside `<resources>` (the kernel has no list element). */
export function renderDataciteXml(works: readonly Work[]): string {
  return xmlRecords(works, (parent, work) => appendDataciteResource(parent, work), 'resources')
}

/** DataCite JSON: one record's attributes, or an array of them. */
export function renderDataciteJson(works: readonly Work[]): string {
  const records = works.map(dataciteRecord)
  return `${JSON.stringify(records.length === 1 ? records[0] : records, null, 2)}\n`
}
