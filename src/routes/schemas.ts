import { z } from 'zod'
import cslData from '../catalogue/csl-data.schema.json' with { type: 'json' }
import { STYLE_ALIASES } from '../formats/csl/library.js'
import { BUILTIN_STYLE_IDS } from '../formats/citation-js.js'
import {
  FORMAT_ALIASES,
  FORMAT_NAMES,
  formatNameOf,
  FORMATS,
  unknownFormat,
  type FormatMediaType,
  type FormatName,
} from '../formats/registry.js'
import { PROBLEM_MEDIA_TYPE, problemSchema } from '../http/problem.js'
import { FACET_NAMES } from '../catalogue/query/types.js'
import { DEFAULT_LOCALE, DEFAULT_STYLE } from '../citations/default-style.js'
import { listingParameters } from './work-list-params.js'

// The request and response schemas of the routes: they validate requests and generate the
// OpenAPI document, so the two cannot disagree.

const MAX_ROWS = 1000
export const MAX_EXPORT = 10_000
/**
 * The most works in a bibliography or citation file: citeproc orders and renders the list as a whole
 * in a render worker, at some milliseconds a work, so a larger one would hold a worker for seconds.
 */
export const MAX_CSL_EXPORT = 500
/**
 * Works in a file when `rows` is not given: what a reference manager imports at once, and bounded
 * work for a request that names no size; larger files are asked for with `rows`, and paged by `offset`.
 */
export const DEFAULT_EXPORT = 1000
/** The deepest `offset` of the list, as at Crossref; deeper, paging is by cursor. */
export const MAX_OFFSET = 10_000

/**
 * A count or position given in a URL: decimal digits only. Coercing with Number() would read a blank
 * value as 0, `0x10` as 16 and `1e3` as 1000; those are refused with the parameter named instead.
 */
export const decimal = (min: number, max = Number.MAX_SAFE_INTEGER, tooBig?: string) =>
  z.preprocess(
    (value) => (typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : value),
    z.number({ error: 'expected a whole number written in decimal digits' }).int().min(min).max(max, tooBig),
  )

export const workParams = z.object({
  id: z
    .string()
    .min(1)
    .max(2000)
    .describe(
      'The record id, or its DOI (bare, doi:…, or a doi.org URL; case-insensitive). A DOI may stay unencoded: /works/10.1234/abc works.',
    ),
})

const queryWords = z
  .string()
  .max(1000)
  .describe('Words that must all occur in the title, abstract or contributor names (case and accents ignored)')

export const listQuery = z.strictObject({
  query: queryWords.optional(),
  rows: decimal(0, MAX_ROWS).default(20).describe(`Works per page, at most ${MAX_ROWS}`),
  offset: decimal(0, MAX_OFFSET, `Too big: at most ${MAX_OFFSET}; to page deeper, use cursor=* and then each page's next-cursor`)
    .optional()
    .describe(`Works to skip (default 0), at most ${MAX_OFFSET}; not with cursor`),
  cursor: z
    .string()
    .min(1)
    .max(2000)
    .optional()
    .describe(
      'Deep paging, as at Crossref: `*` for the first page, then the `next-cursor` of the page before, with the same query, filters and sort. ' +
        'The last page has no `next-cursor`. Not with offset.',
    ),
  ...listingParameters,
})

const renderingOptions = {
  style: z
    .string()
    .max(200)
    .optional()
    .describe(
      `CSL style id for bibliography and citation (default ${DEFAULT_STYLE}); see GET /styles. Aliases: ${Object.entries(STYLE_ALIASES)
        .map(([alias, id]) => `${alias} = ${id}`)
        .join(', ')}`,
    ),
  locale: z
    .string()
    .max(50)
    .optional()
    .describe(`CSL locale, such as en-GB or de (default: the style's own, else ${DEFAULT_LOCALE}); see GET /locales`),
  output: z.enum(['text', 'html']).default('text').describe('Plain text or HTML, for bibliography and citation'),
}

const formatDescription =
  `${FORMATS.map((format) => `${format.name}: ${format.summary}`).join('; ')}. ` +
  `Any case; also ${Object.entries(FORMAT_ALIASES)
    .map(([alias, name]) => `${alias} = ${name}`)
    .join(', ')}`

/** A format name in any case or by an alias, as its registry name; an unknown one says what is close. */
const formatParameter = (fallback: FormatName) =>
  z
    .string()
    .max(100)
    .default(fallback)
    .transform((value, context) => {
      const name = formatNameOf(value)
      if (name !== undefined) return name
      context.addIssue({ code: 'custom', message: unknownFormat(value, styleNamed), params: { allowed: FORMAT_NAMES } })
      return z.NEVER
    })
    .describe(formatDescription)

// The style names anyone would mistake for a format: the built-in styles and the aliases.
const styleNamed = (name: string) => BUILTIN_STYLE_IDS.includes(name) || name in STYLE_ALIASES

export const citationQuery = z.strictObject({
  format: formatParameter('bibliography'),
  ...renderingOptions,
})

export const exportQuery = z.strictObject({
  format: formatParameter('bibtex'),
  ...renderingOptions,
  ids: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .describe(
      'Record ids or DOIs, comma-separated or repeated (ids=a&ids=b); without ids, the works matching `query`, or the whole catalogue',
    ),
  query: queryWords.optional(),
  rows: decimal(1, MAX_EXPORT)
    .optional()
    .describe(
      `Works in the file: by default ${DEFAULT_EXPORT}, at most ${MAX_EXPORT}; for bibliography and citation at most (and by default) ${MAX_CSL_EXPORT}`,
    ),
  offset: decimal(0).default(0).describe('Works to skip, for catalogues larger than one file'),
})

export const listingQuery = z.strictObject({
  query: z
    .string()
    .max(200)
    .optional()
    .describe('Words that must all occur in the id, alias or title (for styles: the exact id or alias first, then ids starting with it)'),
  rows: decimal(0, MAX_ROWS).default(MAX_ROWS).describe(`Entries per page, at most ${MAX_ROWS}`),
  offset: decimal(0).default(0),
})

// A work's metadata is documented by the official CSL-JSON schema that the catalogue validates records
// with. (A JSON module's type widens the schema's keywords to string, hence the assertion.)
export const cslItemSchema = z
  .fromJSONSchema({ $schema: cslData.$schema, ...cslData.items, definitions: cslData.definitions } as z.core.JSONSchema.JSONSchema)
  .meta({ id: 'CslItem', description: 'One CSL-JSON item, as in the official CSL-JSON data schema.' })

export const envelope = <T extends z.ZodType>(messageType: string, message: T) =>
  z.object({
    status: z.literal('ok'),
    'message-type': z.literal(messageType),
    'message-version': z.literal('1.0.0'),
    message,
  })

export const workEnvelope = envelope('work', cslItemSchema).meta({ id: 'WorkMessage' })

export const workListEnvelope = envelope(
  'work-list',
  z.object({
    'total-results': z.number().int(),
    'items-per-page': z.number().int(),
    query: z.object({ 'start-index': z.number().int(), 'search-terms': z.string().nullable() }),
    items: z
      .array(z.union([cslItemSchema, z.record(z.string(), z.unknown())]))
      .describe('The works: CSL-JSON items, with `score` when there are words to rank by; with `select`, only the fields selected'),
    facets: z
      .record(z.string(), z.object({ 'value-count': z.number().int(), values: z.record(z.string(), z.number().int()) }))
      .optional()
      .describe(
        `With \`facet\`: for each facet asked for (${FACET_NAMES.join(', ')}), its values, the most frequent first, with the number of works of the whole result having each`,
      ),
    'next-cursor': z.string().optional().describe('With cursor paging, the cursor of the next page; absent on the last'),
  }),
).meta({ id: 'WorkListMessage' })

export const styleListEnvelope = envelope(
  'style-list',
  z.object({
    'total-results': z.number().int(),
    items: z.array(
      z.object({
        id: z.string(),
        title: z.string(),
        format: z.string().nullable().describe('author-date, numeric, note, label or author'),
        parent: z.string().nullable().describe('For a dependent style, the independent style it renders as'),
        aliases: z.array(z.string()).describe('Other names the style can be asked for by, such as chicago for chicago-author-date'),
      }),
    ),
  }),
).meta({ id: 'StyleListMessage' })

export const localeListEnvelope = envelope('locale-list', z.object({ 'total-results': z.number().int(), items: z.array(z.string()) })).meta(
  {
    id: 'LocaleListMessage',
  },
)

export const problem = (description: string) => ({ description, content: { [PROBLEM_MEDIA_TYPE]: { schema: problemSchema } } })

export const problemResponses = {
  400: problem('A parameter is invalid; `errors` lists each one'),
  404: problem('No work has this id or DOI'),
  406: problem('No available media type is acceptable; `available` lists them'),
} as const

/** What every works route may also answer. (A 304 has no content, and so no schema to give here.) */
export const commonResponses = {
  429: problem('Too many requests from this client (when rate limiting is on); Retry-After says when to try again'),
} as const

/** Response content for every media type a format is served as. */
export const formatContent = Object.fromEntries(
  FORMATS.flatMap((format) => format.mediaTypes.map((mediaType) => [mediaType, { schema: z.string().describe(format.summary) }])),
) as { [M in FormatMediaType]: { schema: z.ZodString } }
