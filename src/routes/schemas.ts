import { z } from 'zod'
import { cslItemSchema } from '../catalogue/schema.js'
import { FORMAT_NAMES, FORMATS } from '../formats/registry.js'
import { DEFAULT_LOCALE, DEFAULT_STYLE, STYLE_NAMES, LOCALES } from '../formats/csl-styles.js'
import { PROBLEM_MEDIA_TYPE, problemSchema } from '../http/problem.js'

// The request and response schemas of the works routes: they validate requests and generate the
// OpenAPI document, so the two cannot disagree.

export const MAX_ROWS = 1000

export const workParams = z.object({
  id: z
    .string()
    .min(1)
    .max(2000)
    .describe(
      'The record id, or its DOI (bare, doi:…, or a doi.org URL; case-insensitive). A DOI may stay unencoded: /works/10.1234/abc works.',
    ),
})

export const listQuery = z.strictObject({
  query: z
    .string()
    .max(1000)
    .optional()
    .describe('Words that must all occur in the title, abstract or contributor names (case and accents ignored)'),
  rows: z.coerce.number().int().min(0).max(MAX_ROWS).default(20).describe(`Works per page, at most ${MAX_ROWS}`),
  offset: z.coerce.number().int().min(0).default(0).describe('Works to skip'),
})

export const citationQuery = z.strictObject({
  format: z
    .enum(FORMAT_NAMES)
    .default('bibliography')
    .describe(FORMATS.map((format) => `${format.name}: ${format.summary}`).join('; ')),
  style: z
    .string()
    .max(200)
    .default(DEFAULT_STYLE)
    .describe(`CSL style for bibliography: ${STYLE_NAMES.join(', ')}`),
  locale: z
    .string()
    .max(50)
    .default(DEFAULT_LOCALE)
    .describe(`CSL locale for bibliography: ${LOCALES.join(', ')}, or a bare language such as "de"`),
  output: z.enum(['text', 'html']).default('text').describe('Plain text or HTML, for bibliography'),
})

const envelope = <T extends z.ZodType>(messageType: string, message: T) =>
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
    items: z.array(cslItemSchema),
  }),
).meta({ id: 'WorkListMessage' })

const problem = (description: string) => ({ description, content: { [PROBLEM_MEDIA_TYPE]: { schema: problemSchema } } })

export const problemResponses = {
  400: problem('A parameter is invalid; `errors` lists each one'),
  404: problem('No work has this id or DOI'),
  406: problem('No available media type is acceptable; `available` lists them'),
} as const

/** Response content for every media type a format is served as. */
type FormatMediaType = (typeof FORMATS)[number]['mediaTypes'][number]

export const formatContent = Object.fromEntries(
  FORMATS.flatMap((format) => format.mediaTypes.map((mediaType) => [mediaType, { schema: z.string().describe(format.summary) }])),
) as { [M in FormatMediaType]: { schema: z.ZodString } }
