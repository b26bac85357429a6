import { createReadStream, createWriteStream } from 'node:fs'
import { open, rename, rm } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { normalizeDoi } from '../catalogue/doi.js'
import type { CslItem } from '../catalogue/schema.js'
import { recordTexts } from './record-texts.js'
import { closed, PIECE, Spool, write } from './spool.js'
import { KnownWorks, recordDigest, type ExistingWorks, type ImportTarget } from './target.js'

/** The records of a CSL-JSON data file one by one, as text, without holding the file; none when it does not exist. */
async function* storedRecords(file: string): AsyncGenerator<string> {
  const stream = createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 })
  try {
    yield* recordTexts(stream, 'json')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
}

async function fsyncPath(path: string, flags: string): Promise<void> {
  const handle = await open(path, flags)
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}

/**
 * The file store's data file as an import target. New records are spooled to a file beside it as
 * they come; `commit` writes the whole new data file next to the old one (the old records copied as
 * they are written, replacements in their place, then the new ones), flushes it to disk and renames it
 * over the old one, so that a crash at any point leaves either the old file or the new one.
 */
export class FileTarget implements ImportTarget {
  private readonly spool: Spool
  private readonly temporaryPath: string
  private readonly replacements = new Map<string, CslItem>()

  constructor(private readonly file: string) {
    const prefix = join(dirname(file), `.${basename(file)}.import-${process.pid}`)
    this.spool = new Spool(`${prefix}.added`)
    this.temporaryPath = `${prefix}.tmp`
  }

  async existing(): Promise<ExistingWorks> {
    const known = new KnownWorks()
    for await (const text of storedRecords(this.file)) {
      const record = JSON.parse(text) as { id?: unknown; DOI?: unknown }
      known.add(String(record.id), recordDigest(record), typeof record.DOI === 'string' ? normalizeDoi(record.DOI) : undefined)
    }
    return known
  }

  async add(item: CslItem): Promise<void> {
    await this.spool.add(JSON.stringify(item))
  }

  async replace(item: CslItem): Promise<void> {
    this.replacements.set(String(item.id), item)
  }

  async commit(): Promise<void> {
    const output = createWriteStream(this.temporaryPath, { flags: 'w' })
    let first = true
    let piece = ''
    const element = async (json: string) => {
      piece += `${first ? '' : ',\n'}${json}`
      first = false
      if (piece.length >= PIECE) {
        await write(output, piece)
        piece = ''
      }
    }
    try {
      await write(output, '[\n')
      for await (const text of storedRecords(this.file)) {
        const replacement =
          this.replacements.size === 0 ? undefined : this.replacements.get(String((JSON.parse(text) as { id?: unknown }).id))
        await element(replacement === undefined ? text : JSON.stringify(replacement))
      }
      for await (const text of this.spool.texts()) await element(text)
      await write(output, `${piece}\n]\n`)
      await closed(output)
      await fsyncPath(this.temporaryPath, 'r+')
      await rename(this.temporaryPath, this.file)
      await fsyncPath(dirname(this.file), 'r')
    } finally {
      await this.abort()
    }
  }

  async abort(): Promise<void> {
    await this.spool.discard()
    await rm(this.temporaryPath, { force: true })
  }
}
