import { z } from 'zod'

// A zod transcription of the official CSL-JSON data schema (citation-style-language/schema,
// schemas/input/csl-data.json): the same item types, variables and value shapes, and like it
// no unknown keys. A test checks that the two agree on every variable name.

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

const CSL_NUMBER_VARIABLES = [
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

const CSL_STRING_VARIABLES = [
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

const stringOrNumber = z.union([z.string(), z.number()])
const flag = z.union([z.string(), z.number(), z.boolean()])

export const cslNameSchema = z.strictObject({
  family: z.string().optional(),
  given: z.string().optional(),
  'dropping-particle': z.string().optional(),
  'non-dropping-particle': z.string().optional(),
  suffix: z.string().optional(),
  'comma-suffix': flag.optional(),
  'static-ordering': flag.optional(),
  literal: z.string().optional(),
  'parse-names': flag.optional(),
})

export const cslDateSchema = z.strictObject({
  'date-parts': z.array(z.array(stringOrNumber).min(1).max(3)).min(1).max(2).optional(),
  season: stringOrNumber.optional(),
  circa: flag.optional(),
  literal: z.string().optional(),
  raw: z.string().optional(),
})

function shapeOf<const K extends readonly string[], S extends z.ZodType>(keys: K, schema: S) {
  return Object.fromEntries(keys.map((key) => [key, schema.optional()])) as {
    [P in K[number]]: z.ZodOptional<S>
  }
}

// The id is what clients put into URLs, so beyond the official schema it must be non-empty and free of
// control characters; everything else is exactly the official schema.
const recordId = z.union([
  z
    .string()
    .min(1, 'must not be empty')
    .regex(/^[^\p{Cc}]+$/u, 'must not contain control characters'),
  z.number(),
])

export const cslItemSchema = z
  .strictObject({
    id: recordId,
    type: z.enum(CSL_ITEM_TYPES),
    categories: z.array(z.string()).optional(),
    custom: z.record(z.string(), z.unknown()).optional(),
    ...shapeOf(CSL_NAME_VARIABLES, z.array(cslNameSchema)),
    ...shapeOf(CSL_DATE_VARIABLES, cslDateSchema),
    ...shapeOf(CSL_NUMBER_VARIABLES, stringOrNumber),
    ...shapeOf(CSL_STRING_VARIABLES, z.string()),
  })
  .meta({ id: 'CslItem', description: 'One CSL-JSON item, as in the official CSL-JSON data schema.' })

export type CslItem = z.infer<typeof cslItemSchema>
export type CslName = z.infer<typeof cslNameSchema>
export type CslDate = z.infer<typeof cslDateSchema>
export type CslNameVariable = (typeof CSL_NAME_VARIABLES)[number]

/** Every variable name the schema knows, for the test that compares it with the official schema. */
export const CSL_VARIABLES: readonly string[] = Object.keys(cslItemSchema.shape)
