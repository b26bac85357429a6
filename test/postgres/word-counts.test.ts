import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { syntheticCatalogue } from '../../scripts/synthetic-catalogue.js'
import { loadWorks } from '../../src/catalogue/postgres/load-works.js'
import { migrateDatabase } from '../../src/catalogue/postgres/migrate.js'
import type { PostgresStore } from '../../src/catalogue/postgres/postgres-store.js'
import type { CslItem } from '../../src/catalogue/schema.js'
import { createTestDatabase, migrateFirst, type TestDatabase } from './fixtures/database.js'

// The kept counts against a recount by the definition relevance uses: the works whose `search` holds
// the word, or whose container, year, volume, issue or page does.
async function countsAndRecount(url: string): Promise<{ kept: Record<string, number>; recounted: Record<string, number> }> {
  const client = new pg.Client(url)
  await client.connect()
  try {
    const kept = Object.fromEntries(
      (await client.query<{ word: string; works: string }>('SELECT word, works FROM word_counts')).rows.map((row) => [row.word, Number(row.works)]),
    )
    const { rows: lexemes } = await client.query<{ lexeme: string }>(
      `SELECT DISTINCT unnest(tsvector_to_array(search)) AS lexeme FROM works
       UNION SELECT DISTINCT substr(lexeme, 3) FROM works, unnest(tsvector_to_array(fields)) AS lexeme WHERE lexeme ~ '^[cyvip]:'`,
    )
    const recounted: Record<string, number> = {}
    for (const { lexeme } of lexemes) {
      const other = ['c', 'y', 'v', 'i', 'p'].map((letter) => `'${letter}:${lexeme}'`).join(' | ')
      const { rows } = await client.query<{ count: string }>('SELECT count(*) FROM works WHERE search @@ $1::tsquery OR fields @@ $2::tsquery', [
        `'${lexeme}'`,
        other,
      ])
      recounted[lexeme] = Number(rows[0]?.count)
    }
    return { kept, recounted }
  } finally {
    await client.end()
  }
}

const work = (id: string, title: string, more: Partial<CslItem> = {}): CslItem => ({
  id,
  type: 'article-journal',
  title,
  author: [{ family: 'Müller', given: 'Anna' }],
  'container-title': 'Journal of Reefs',
  volume: '12',
  issued: { 'date-parts': [[2019, 3]] },
  ...more,
})

describe('word counts', () => {
  let database: TestDatabase
  let store: PostgresStore

  beforeAll(async () => {
    database = await createTestDatabase()
    store = await database.open()
  })
  afterAll(() => database?.drop())

  const expectExact = async () => {
    const { kept, recounted } = await countsAndRecount(database.url)
    expect(kept).toEqual(recounted)
    return kept
  }

  it('follow a bulk load, writes, replacements and deletes', async () => {
    await loadWorks(store, [
      work('one', 'Coral reefs of the Pacific', { abstract: 'Reefs bleach in warm water.' }),
      work('two', 'Warm water and coral', { author: [{ family: 'Chen', given: 'Wei' }], volume: '2019' }),
      work('three', 'Algebra', {
        'container-title': 'Annals of Algebra',
        issued: { 'date-parts': [[1999]] },
        issue: '12',
        page: '3-7',
      }),
    ])
    const loaded = await expectExact()
    expect(loaded.coral).toBe(2)
    // "2019" is a year of all three but one, and the volume of another: each work counts once.
    expect(loaded['2019']).toBe(2)
    // "12" is the volume of two works and also the issue of one of them.
    expect(loaded['12']).toBe(2)
    expect(loaded['7']).toBe(1)

    await store.write([{ kind: 'put', item: work('four', 'Coral atolls') }])
    await store.write([{ kind: 'put', item: work('one', 'Kelp forests', { abstract: 'Kelp grows fast.' }) }])
    const changed = await expectExact()
    expect(changed.coral).toBe(2)
    expect(changed.kelp).toBe(1)
    expect(changed.bleach).toBeUndefined()

    await store.write([{ kind: 'delete', id: 'three' }])
    const deleted = await expectExact()
    expect(deleted.algebra).toBeUndefined()

    // A load into a catalogue that has works counts the words it adds, and only those.
    await loadWorks(store, [work('five', 'Algebra of coral', { volume: '3' })])
    const added = await expectExact()
    expect(added).toMatchObject({ algebra: 1, coral: 3 })
  })

  it('weigh relevance as a recount would', async () => {
    const page = await store.list({ query: { text: 'coral' }, rows: 10 })
    // Three works hold "coral", each in its title: the same weight and rarity, so equal scores.
    expect(page.total).toBe(3)
    expect(new Set(page.scores).size).toBe(1)
  })

  it('are emptied with the works', async () => {
    const client = new pg.Client(database.url)
    await client.connect()
    try {
      await client.query('TRUNCATE works')
    } finally {
      await client.end()
    }
    expect(await expectExact()).toEqual({})
  })
})

describe('word counts of a database migrated from before them', () => {
  let database: TestDatabase
  beforeAll(async () => {
    database = await createTestDatabase({ migrate: false })
  })
  afterAll(() => database?.drop())

  it('count the rows there were, then follow the backfill', async () => {
    await migrateFirst(database.url, 1)
    const client = new pg.Client(database.url)
    await client.connect()
    try {
      await client.query(
        `INSERT INTO works (id, key, type, item, search, version) VALUES ('old', 'old', 'book', $1, '''coral'' ''reefs''', 'v')`,
        [JSON.stringify({ id: 'old', type: 'book', title: 'Coral reefs', 'container-title': 'Reef Series', issued: { 'date-parts': [[2001]] } })],
      )
    } finally {
      await client.end()
    }
    await migrateDatabase(database.url)
    const { kept, recounted } = await countsAndRecount(database.url)
    expect(kept).toEqual(recounted)
    // The container and the year came with the backfill's `fields`.
    expect(kept).toMatchObject({ coral: 1, reefs: 1, reef: 1, series: 1, '2001': 1 })
  })
})

describe('word counts of a load that adds them as it goes', () => {
  let database: TestDatabase
  beforeAll(async () => {
    database = await createTestDatabase()
  })
  afterAll(() => database?.drop())

  it('stay exact when a load holds few and adds them batch by batch', async () => {
    const store = await database.open()
    // More works than one batch of the copy, and a bound of one word: counts are added after each batch.
    await loadWorks(store, syntheticCatalogue(10_050), [], { wordsHeld: 1 })
    const { kept, recounted } = await countsAndRecount(database.url)
    expect(Object.keys(kept).length).toBeGreaterThan(100)
    expect(kept).toEqual(recounted)
  }, 120_000)
})
