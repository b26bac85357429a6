import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FileStore } from '../../src/catalogue/file-store.js'
import { countedFromSummary } from '../../src/catalogue/postgres/facet-counts.js'
import { countedWorks, countStatement, facetStatement, type FacetRow } from '../../src/catalogue/postgres/facets.js'
import { loadWorks } from '../../src/catalogue/postgres/load-works.js'
import type { PostgresStore } from '../../src/catalogue/postgres/postgres-store.js'
import { dayKey } from '../../src/catalogue/query/facts.js'
import { whereCondition, type Parameters } from '../../src/catalogue/postgres/where.js'
import type { FacetRequest } from '../../src/catalogue/query/types.js'
import type { CslItem } from '../../src/catalogue/schema.js'
import type { ListRequest, WorkQuery } from '../../src/catalogue/store.js'
import { syntheticCatalogue } from '../../scripts/synthetic-catalogue.js'
import { createTestDatabase, type TestDatabase } from './fixtures/database.js'

// work_facet_counts stays equal to counting the works themselves through every kind of write, and the
// lists it answers give what counting the works gives.

/** Synthetic works, some without a date, DOI, abstract or container, some in other languages or before the common era. */
function variedItems(count: number, seed: number, prefix: string): CslItem[] {
  return syntheticCatalogue(count, seed).map((item, index) => ({
    ...item,
    id: `${prefix}-${index}`,
    DOI: index % 3 === 0 ? undefined : `10.5555/${prefix}.${index}`,
    abstract: index % 4 === 0 ? undefined : item.abstract,
    'container-title': index % 13 === 0 ? undefined : item['container-title'],
    language: index % 5 === 0 ? 'en-GB' : index % 11 === 0 ? 'fr' : index % 17 === 0 ? undefined : item.language,
    issued: index % 7 === 0 ? undefined : index % 19 === 0 ? { 'date-parts': [[-(index % 40) - 1, 3]] } : item.issued,
  }))
}

let database: TestDatabase
let store: PostgresStore
let client: pg.Client

beforeAll(async () => {
  database = await createTestDatabase()
  store = await database.open()
  client = new pg.Client(database.url)
  await client.connect()
}, 60_000)
afterAll(async () => {
  await client?.end()
  await database?.drop()
})

const KEY = 'type, year, container_key, language, has_abstract, has_doi'

/** The summary's rows, and the same counts taken from the works one by one (the year computed otherwise). */
async function bothCounts() {
  const order = `ORDER BY ${KEY}`
  const { rows: summary } = await client.query(`SELECT ${KEY}, works::int FROM work_facet_counts ${order}`)
  const { rows: counted } = await client.query(
    `SELECT ${KEY}, count(*)::int AS works
       FROM (SELECT type, CASE WHEN published <> -999999999 THEN floor(published / 10000.0)::int END AS year,
                    container_key, language, has_abstract, doi IS NOT NULL AS has_doi FROM works) AS facts
      GROUP BY ${KEY} ${order}`,
  )
  return { summary, counted }
}

async function expectExact(): Promise<void> {
  const { summary, counted } = await bothCounts()
  expect(summary).toEqual(counted)
}

describe('work_facet_counts', () => {
  it('stays exact through a bulk load, writes, replacements, deletes and TRUNCATE', async () => {
    const items = variedItems(600, 3, 'load')
    await loadWorks(store, items)
    const { summary } = await bothCounts()
    expect(summary.length).toBeGreaterThan(10)
    expect(summary.some((row: { year: number | null }) => row.year === null)).toBe(true)
    expect(summary.some((row: { year: number | null }) => row.year !== null && row.year < 0)).toBe(true)
    await expectExact()

    await store.write(variedItems(40, 4, 'written').map((item) => ({ kind: 'put' as const, item })))
    await expectExact()

    // Replacements that move works to another type, year, container and language, or to none.
    const moved = items.slice(0, 60).map((item, index) => ({
      ...item,
      type: index % 2 === 0 ? ('book' as const) : item.type,
      issued: index % 3 === 0 ? { 'date-parts': [[1850 + index]] } : index % 3 === 1 ? undefined : item.issued,
      'container-title': index % 4 === 0 ? `Moved ${index % 5}` : item['container-title'],
      language: index % 5 === 0 ? 'de' : undefined,
      DOI: index % 6 === 0 ? undefined : item.DOI,
    }))
    await store.write(moved.map((item) => ({ kind: 'put' as const, item })))
    await expectExact()

    await store.write(items.slice(100, 180).map((item) => ({ kind: 'delete' as const, id: String(item.id) })))
    await expectExact()
    // A bulk load that also replaces works, as an import does.
    await loadWorks(
      store,
      variedItems(200, 5, 'second'),
      moved.slice(0, 10).map((item) => ({ ...item, type: 'report' as const })),
    )
    await expectExact()

    await client.query('TRUNCATE works')
    expect((await client.query('SELECT count(*)::int AS rows FROM work_facet_counts')).rows).toEqual([{ rows: 0 }])
    await loadWorks(store, items.slice(0, 50))
    await expectExact()
  })

  it('stays exact through concurrent writes, none of which deadlocks', async () => {
    const items = variedItems(200, 6, 'concurrent')
    await loadWorks(store, items)
    await Promise.all(
      Array.from({ length: 8 }, (_, writer) =>
        store.write(
          items
            .filter((_, index) => index % 8 === writer)
            .map((item, index) =>
              index % 3 === 0
                ? { kind: 'delete' as const, id: String(item.id) }
                : { kind: 'put' as const, item: { ...item, type: 'thesis' as const } },
            ),
        ),
      ),
    )
    // Transactions of several statements each, touching the same counts in opposite orders.
    const writers = [0, 1].map(async (writer) => {
      const connection = new pg.Client(database.url)
      await connection.connect()
      try {
        await connection.query('BEGIN')
        for (const type of writer === 0 ? ['book', 'thesis'] : ['thesis', 'book']) {
          await connection.query(`UPDATE works SET type = $1 WHERE id LIKE 'concurrent-%' AND seq % 2 = $2`, [type, writer])
        }
        await connection.query('COMMIT')
      } finally {
        await connection.end()
      }
    })
    await Promise.all(writers)
    await expectExact()
  })
})

const FACETS: FacetRequest[] = [
  { name: 'type-name', limit: 1000 },
  { name: 'published', limit: 1000 },
  { name: 'container-title', limit: 4 },
  { name: 'language', limit: 1000 },
]

describe('lists counted from work_facet_counts', () => {
  const items = variedItems(1500, 8, 'listed')
  let file: FileStore

  beforeAll(async () => {
    await client.query('TRUNCATE works')
    await loadWorks(store, items)
    file = await FileStore.fromItems(items)
  }, 60_000)
  afterAll(() => file?.close())

  const summarised: [string, WorkQuery][] = [
    ['nothing', {}],
    ['types from a year', { filters: { type: ['article-journal', 'book'], fromPublished: 20000101 } }],
    ['until a year, which leaves out works without a date', { filters: { untilPublished: 19951231 } }],
    ['years before the common era', { filters: { untilPublished: dayKey(-10, 12, 31) } }],
    ['a language and its regional variants', { filters: { language: ['en'] } }],
    ['a regional variant alone', { filters: { language: ['en-gb', 'fr'] } }],
    ['no DOI and no abstract', { filters: { hasDoi: false, hasAbstract: false } }],
    [
      'a DOI, an abstract and a container',
      { filters: { hasDoi: true, hasAbstract: true, containerTitle: ['journal of things', 'letters in data'] } },
    ],
    ['an OAI set', { type: 'book', filters: { fromPublished: 19900101, untilPublished: 20101231 } }],
  ]
  const scanned: [string, WorkQuery][] = [
    ['a date within a year', { filters: { type: ['article-journal'], fromPublished: 20000601 } }],
    ['until a date within a year', { filters: { untilPublished: 19951130 } }],
    ['words', { text: 'coral', filters: { type: ['book'] } }],
    ['a field query', { fields: { author: 'Müller' } }],
    ['a prefix', { filters: { prefix: ['10.5555'] } }],
    ['a time of change', { modifiedFrom: new Date(0) }],
  ]

  it.each(summarised)('are counted from the summary when it answers exactly: %s', (_name, query) => {
    expect(countedFromSummary(query)).toBeDefined()
  })

  it.each(scanned)('are counted from the works otherwise: %s', (_name, query) => {
    expect(countedFromSummary(query)).toBeUndefined()
  })

  it.each(summarised)('count as the works do, facets and total: %s', async (_name, query) => {
    const summary = countedFromSummary(query)
    if (summary === undefined) throw new Error('not summarised')
    const works = countedWorks((parameters: Parameters) => whereCondition(query, parameters) ?? 'false')
    const rows = async (statement: { sql: string; values: unknown[] }) => {
      const { rows } = await client.query<FacetRow>(statement.sql, statement.values)
      return rows.map((row) => `${row.facet} ${row.value} ${row.count}`).sort()
    }
    const fromSummary = await rows(facetStatement(FACETS, summary))
    expect(fromSummary.length).toBeGreaterThan(1)
    expect(fromSummary).toEqual(await rows(facetStatement(FACETS, works)))
    const total = async (statement: { sql: string; values: unknown[] }) => (await client.query(statement.sql, statement.values)).rows
    expect(await total(countStatement(summary))).toEqual(await total(countStatement(works)))
  })

  it.each([...summarised, ...scanned])('answer as the file store does: %s', async (_name, query) => {
    for (const request of [
      { query, rows: 5, facets: FACETS, sort: { by: 'published', order: 'desc' } },
      { query, rows: 5 },
    ] satisfies ListRequest[]) {
      const [fromPostgres, fromFile] = await Promise.all([store.list(request), file.list(request)])
      expect(fromPostgres.total).toBe(fromFile.total)
      expect(fromPostgres.facets).toEqual(fromFile.facets)
      expect(fromPostgres.works.map((work) => work.id)).toEqual(fromFile.works.map((work) => work.id))
    }
  })
})
