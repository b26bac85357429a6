// The TypeScript shape of a CSL-JSON item. Records are validated against the official CSL-JSON data
// schema itself (csl-data.schema.json, compiled ahead of time into csl-data-validator.js); these lists and types say the
// same in TypeScript, and test/catalogue/schema.test.ts checks that they agree with it, variable by variable.

export const CSL_ITEM_TYPES = [
  'article',
  'article-journal',
  'article-magazine',
  'article-newspaper',
  'bill',
  'book',
  'broadcast',
  'chapter',
  'classic',
  'collection',
  'dataset',
  'document',
  'entry',
  'entry-dictionary',
  'entry-encyclopedia',
  'event',
  'figure',
  'graphic',
  'hearing',
  'interview',
  'legal_case',
  'legislation',
  'manuscript',
  'map',
  'motion_picture',
  'musical_score',
  'pamphlet',
  'paper-conference',
  'patent',
  'performance',
  'periodical',
  'personal_communication',
  'post',
  'post-weblog',
  'regulation',
  'report',
  'review',
  'review-book',
  'software',
  'song',
  'speech',
  'standard',
  'thesis',
  'treaty',
  'webpage',
] as const

export const CSL_NAME_VARIABLES = [
  'author',
  'chair',
  'collection-editor',
  'compiler',
  'composer',
  'container-author',
  'contributor',
  'curator',
  'director',
  'editor',
  'editorial-director',
  'executive-producer',
  'guest',
  'host',
  'interviewer',
  'illustrator',
  'narrator',
  'organizer',
  'original-author',
  'performer',
  'producer',
  'recipient',
  'reviewed-author',
  'script-writer',
  'series-creator',
  'translator',
] as const

export const CSL_DATE_VARIABLES = ['accessed', 'available-date', 'event-date', 'issued', 'original-date', 'submitted'] as const

export const CSL_NUMBER_VARIABLES = [
  'chapter-number',
  'citation-number',
  'collection-number',
  'edition',
  'first-reference-note-number',
  'issue',
  'locator',
  'number',
  'number-of-pages',
  'number-of-volumes',
  'page',
  'page-first',
  'part',
  'printing',
  'supplement',
  'volume',
] as const

export const CSL_STRING_VARIABLES = [
  'citation-key',
  'language',
  'journalAbbreviation',
  'shortTitle',
  'abstract',
  'annote',
  'archive',
  'archive_collection',
  'archive_location',
  'archive-place',
  'authority',
  'call-number',
  'citation-label',
  'collection-title',
  'container-title',
  'container-title-short',
  'dimensions',
  'division',
  'DOI',
  'event',
  'event-title',
  'event-place',
  'genre',
  'ISBN',
  'ISSN',
  'jurisdiction',
  'keyword',
  'medium',
  'note',
  'original-publisher',
  'original-publisher-place',
  'original-title',
  'part-title',
  'PMCID',
  'PMID',
  'publisher',
  'publisher-place',
  'references',
  'reviewed-genre',
  'reviewed-title',
  'scale',
  'section',
  'source',
  'status',
  'title',
  'title-short',
  'URL',
  'version',
  'volume-title',
  'volume-title-short',
  'year-suffix',
] as const

type Flag = string | number | boolean

export type CslName = {
  family?: string
  given?: string
  'dropping-particle'?: string
  'non-dropping-particle'?: string
  suffix?: string
  'comma-suffix'?: Flag
  'static-ordering'?: Flag
  literal?: string
  'parse-names'?: Flag
}

export type CslDate = {
  'date-parts'?: (string | number)[][]
  season?: string | number
  circa?: Flag
  literal?: string
  raw?: string
}

type CslItemType = (typeof CSL_ITEM_TYPES)[number]
export type CslNameVariable = (typeof CSL_NAME_VARIABLES)[number]
type CslDateVariable = (typeof CSL_DATE_VARIABLES)[number]
type CslNumberVariable = (typeof CSL_NUMBER_VARIABLES)[number]
type CslStringVariable = (typeof CSL_STRING_VARIABLES)[number]

/** One CSL-JSON item: the variables of the official schema, none other. */
export type CslItem = {
  id: string | number
  type: CslItemType
  categories?: string[]
  custom?: Record<string, unknown>
} & { [V in CslNameVariable]?: CslName[] } & { [V in CslDateVariable]?: CslDate } & {
  [V in CslNumberVariable]?: string | number
} & { [V in CslStringVariable]?: string }
