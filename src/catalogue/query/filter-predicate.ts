import type { WorkQuery } from '../store.js'
import { HAS_ABSTRACT, HAS_DOI, NONE, type FactColumns } from './columns.js'
import { NO_DAY } from './facts.js'

type Predicate = (position: number) => boolean

const anyOf = (wanted: readonly string[], have: readonly string[]) => have.some((value) => wanted.includes(value))

/** Codes of the dictionary's values that `accepts` takes. */
function codesWhere(values: readonly string[], accepts: (value: string) => boolean): Set<number> {
  const codes = new Set<number>()
  values.forEach((value, code) => {
    if (accepts(value)) codes.add(code)
  })
  return codes
}

/** Whether a record passes every filter of the query (the words aside): one test per filter given. */
export function filterPredicate(columns: FactColumns, query: WorkQuery): Predicate {
  const tests: Predicate[] = []
  const filters = query.filters ?? {}
  if (query.type !== undefined) {
    const code = columns.types.find(query.type)
    tests.push((position) => columns.type[position] === code)
  }
  const { type } = filters
  if (type !== undefined) {
    const codes = codesWhere(columns.types.values, (value) => type.includes(value))
    tests.push((position) => codes.has(columns.type[position] as number))
  }
  const { fromPublished, untilPublished } = filters
  if (fromPublished !== undefined) tests.push((position) => (columns.published[position] as number) >= fromPublished)
  if (untilPublished !== undefined) {
    tests.push((position) => {
      const day = columns.published[position] as number
      return day !== NO_DAY && day <= untilPublished
    })
  }
  const flag = (bit: number, wanted: boolean | undefined) => {
    if (wanted !== undefined) tests.push((position) => (((columns.flags[position] as number) & bit) !== 0) === wanted)
  }
  flag(HAS_ABSTRACT, filters.hasAbstract)
  flag(HAS_DOI, filters.hasDoi)
  const { doi, prefix, issn, isbn, containerTitle, language } = filters
  if (doi !== undefined) tests.push((position) => doi.includes(columns.dois[position] ?? ''))
  if (prefix !== undefined) tests.push((position) => prefix.includes(columns.prefixes[position] ?? ''))
  if (issn !== undefined) tests.push((position) => anyOf(issn, columns.issns[position] as readonly string[]))
  if (isbn !== undefined) tests.push((position) => anyOf(isbn, columns.isbns[position] as readonly string[]))
  if (containerTitle !== undefined) {
    const codes = codesWhere(columns.containers.values, (key) => containerTitle.includes(key))
    tests.push((position) => codes.has(columns.container[position] as number))
  }
  if (language !== undefined) {
    const codes = codesWhere(columns.languages.values, (tag) => language.some((wanted) => tag === wanted || tag.startsWith(`${wanted}-`)))
    tests.push((position) => columns.language[position] !== NONE && codes.has(columns.language[position] as number))
  }
  for (const [bound, after] of [
    [query.modifiedFrom, true],
    [query.modifiedUntil, false],
    [filters.fromUpdated, true],
    [filters.untilUpdated, false],
  ] as const) {
    if (bound === undefined) continue
    const time = bound.getTime()
    tests.push(
      after ? (position) => (columns.modified[position] as number) >= time : (position) => (columns.modified[position] as number) <= time,
    )
  }
  if (tests.length === 0) return () => true
  return (position) => tests.every((test) => test(position))
}
