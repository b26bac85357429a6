import { z } from 'zod'
import {
  FACET_NAMES,
  FIELD_QUERY_NAMES,
  MAX_FACET_VALUES,
  SORT_FIELDS,
  type FacetName,
  type FacetRequest,
  type FieldQueries,
} from '../catalogue/query/types.js'
import { CSL_DATE_VARIABLES, CSL_NAME_VARIABLES, CSL_NUMBER_VARIABLES, CSL_STRING_VARIABLES } from '../catalogue/schema.js'
import { filterParameter } from './work-filters.js'

// The parameters of GET /works beyond words and paging, as Crossref names them.

const fieldQueryDescriptions: Record<(typeof FIELD_QUERY_NAMES)[number], string> = {
  bibliographic: 'A reference as written in a bibliography: title, container, names, year, volume, pages or DOI, any of them',
  author: 'Words of the authors’ names',
  editor: 'Words of the editors’ names',
  'container-title': 'Words of the journal, book or proceedings title',
  title: 'Words of the title',
}

const fieldQuery = (name: (typeof FIELD_QUERY_NAMES)[number]) =>
  z
    .string()
    .max(1000)
    .optional()
    .describe(`${fieldQueryDescriptions[name]}; works with any of them, the best matches first (combine with \`query\` and each other)`)

export const fieldQueryParameters = {
  'query.bibliographic': fieldQuery('bibliographic'),
  'query.author': fieldQuery('author'),
  'query.editor': fieldQuery('editor'),
  'query.container-title': fieldQuery('container-title'),
  'query.title': fieldQuery('title'),
}

/** The field queries of a request's parameters. */
export function fieldQueriesOf(parameters: { readonly [K in keyof typeof fieldQueryParameters]?: string | undefined }): FieldQueries {
  return Object.fromEntries(
    FIELD_QUERY_NAMES.flatMap((name) => {
      const value = parameters[`query.${name}`]
      return value === undefined ? [] : [[name, value]]
    }),
  )
}

/** Every field a work can have: what `select` may name. */
const SELECTABLE = [
  'id',
  'type',
  'categories',
  'custom',
  ...CSL_NAME_VARIABLES,
  ...CSL_DATE_VARIABLES,
  ...CSL_NUMBER_VARIABLES,
  ...CSL_STRING_VARIABLES,
  'score',
].sort()

const commaList = (text: string) =>
  text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')

const facetParameter = z
  .string()
  .max(1000)
  .transform((text, context): FacetRequest[] => {
    const facets: FacetRequest[] = []
    const faults: string[] = []
    for (const part of commaList(text)) {
      const [name = '', limit = '*'] = part.split(':')
      const count = limit === '*' ? MAX_FACET_VALUES : Number(limit)
      if (!(FACET_NAMES as readonly string[]).includes(name)) faults.push(`"${name}" is not a facet (facets: ${FACET_NAMES.join(', ')})`)
      else if (!Number.isInteger(count) || count < 1 || count > MAX_FACET_VALUES)
        faults.push(`"${part}": the count must be * or 1 to ${MAX_FACET_VALUES}`)
      else facets.push({ name: name as FacetName, limit: count })
    }
    if (faults.length === 0) return facets
    context.addIssue({ code: 'custom', message: faults.join('; '), params: { allowed: [...FACET_NAMES] } })
    return z.NEVER
  })
  .describe(
    `Counts of values over the whole result, as \`name:count\` (the most frequent first; * for up to ${MAX_FACET_VALUES}), comma-separated: ` +
      `${FACET_NAMES.join(', ')}. Answered in \`message.facets\`.`,
  )

const selectParameter = z
  .string()
  .max(2000)
  .transform((text, context) => {
    const fields = commaList(text)
    const unknown = fields.filter((field) => !SELECTABLE.includes(field))
    if (unknown.length === 0 && fields.length > 0) return fields
    context.addIssue({
      code: 'custom',
      message:
        fields.length === 0
          ? 'names no field'
          : `${unknown.map((field) => `"${field}"`).join(', ')} ${unknown.length === 1 ? 'is not a field' : 'are not fields'} of a work`,
      params: { allowed: SELECTABLE },
    })
    return z.NEVER
  })
  .describe('Only these fields of each work, comma-separated CSL-JSON variables (such as DOI,title,author), and `score`')

export const listingParameters = {
  ...fieldQueryParameters,
  filter: filterParameter.optional(),
  sort: z
    .enum([...SORT_FIELDS, ''])
    .optional()
    .transform((value) => (value === '' ? undefined : value))
    .describe(
      'The order: relevance (the default with words to rank by), published (issued date), updated (time of change) or title; without it and without words, catalogue order',
    ),
  order: z.enum(['asc', 'desc']).optional().describe('With sort: ascending or descending (the default); ties in catalogue order'),
  facet: facetParameter.optional(),
  select: selectParameter.optional(),
}

/** The item with only the selected fields, and its score where it has one and it is wanted. */
export function projectItem<T extends object>(
  item: T,
  select: readonly string[] | undefined,
  score: number | undefined,
): Partial<T> & { score?: number } {
  const scored = score === undefined ? {} : { score }
  if (select === undefined) return { ...item, ...scored }
  const projected = Object.fromEntries(Object.entries(item).filter(([field]) => select.includes(field))) as Partial<T>
  return select.includes('score') ? { ...projected, ...scored } : projected
}
