import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { normalizeDoi } from '../catalogue/doi.js'
import { loadWorks } from '../catalogue/postgres/load-works.js'
import type { PostgresStore } from '../catalogue/postgres/postgres-store.js'
import type { CslItem } from '../catalogue/schema.js'
import { Spool } from './spool.js'
import { KnownWorks, recordDigest, type ExistingWorks, type ImportTarget } from './target.js'

/** Works read from the store at a time, to note their ids, DOIs and digests. */
const SCAN_BATCH = 5000

/**
 * The PostgreSQL store as an import target, through its bulk loader. The works there are read once,
 * as the data file's are; new records are spooled to a temporary file as they come; `commit` copies
 * them in (`COPY`) and applies the replacements, all in one transaction.
 */
export class DatabaseTarget implements ImportTarget {
  private directory: string | undefined
  private spool: Spool | undefined
  private readonly replacements = new Map<string, CslItem>()

  constructor(private readonly store: PostgresStore) {}

  async existing(): Promise<ExistingWorks> {
    const known = new KnownWorks()
    for await (const works of this.store.scan({}, { batchSize: SCAN_BATCH })) {
      for (const { id, item } of works) known.add(id, recordDigest(item), item.DOI === undefined ? undefined : normalizeDoi(item.DOI))
    }
    return known
  }

  async add(item: CslItem): Promise<void> {
    if (this.spool === undefined) {
      this.directory = await mkdtemp(join(tmpdir(), 'citeserve-import-'))
      this.spool = new Spool(join(this.directory, 'added.jsonl'))
    }
    await this.spool.add(JSON.stringify(item))
  }

  async replace(item: CslItem): Promise<void> {
    this.replacements.set(String(item.id), item)
  }

  private async *added(): AsyncGenerator<unknown> {
    if (this.spool === undefined) return
    for await (const text of this.spool.texts()) yield JSON.parse(text)
  }

  async commit(): Promise<void> {
    try {
      await loadWorks(this.store, this.added(), [...this.replacements.values()])
    } finally {
      await this.abort()
    }
  }

  async abort(): Promise<void> {
    await this.spool?.discard()
    if (this.directory !== undefined) await rm(this.directory, { recursive: true, force: true })
    this.spool = undefined
    this.directory = undefined
    this.replacements.clear()
  }
}
