import type { ImportFormat, NotCarried } from '../formats/read/reader.js'
import { ImportPlan, type ConflictPolicy } from './plan.js'
import { readRecords } from './read-records.js'
import type { ImportTarget } from './target.js'

export type Outcome = 'added' | 'updated' | 'unchanged' | 'skipped' | 'rejected'
export const OUTCOMES: readonly Outcome[] = ['added', 'updated', 'unchanged', 'skipped', 'rejected']

/** What became of one record of the input, and what of it could not be carried. */
export interface RecordReport {
  /** The input it came from (a file name, or `-` for standard input). */
  readonly source: string
  /** Its position in that input, from 1. */
  readonly record: number
  readonly id?: string | undefined
  readonly outcome: Outcome
  readonly reason?: string | undefined
  readonly notCarried: readonly NotCarried[]
  readonly renamed: readonly { readonly from: string; readonly to: string }[]
}

export interface ImportSource {
  readonly name: string
  readonly chunks: AsyncIterable<string>
  /** The format to read it in; detected from its start when absent. */
  readonly format?: ImportFormat | undefined
}

export interface ImportOptions {
  readonly onConflict: ConflictPolicy
  /** Import the other records when some are rejected; otherwise a rejection writes nothing. */
  readonly allowRejects: boolean
  /** Report, and write nothing. */
  readonly dryRun: boolean
  /** Read long inputs in formats that are slow to read in a thread of their own (the command does; a server's request does not). */
  readonly thread?: boolean
}

export interface ImportSummary {
  readonly totals: Readonly<Record<Outcome, number>>
  /** Whether the target was changed. */
  readonly written: boolean
}

/**
 * Imports the records of the sources into the target: each is read, validated, matched and reported
 * through `report` as it goes; the target changes only at the end, and only when nothing was
 * rejected (or rejects are allowed) and this is not a dry run.
 */
export async function runImport(
  sources: readonly ImportSource[],
  target: ImportTarget,
  options: ImportOptions,
  report: (record: RecordReport) => void | Promise<void>,
): Promise<ImportSummary> {
  const totals: Record<Outcome, number> = { added: 0, updated: 0, unchanged: 0, skipped: 0, rejected: 0 }
  const plan = new ImportPlan(await target.existing(), options.onConflict)
  let position = 0
  try {
    for (const source of sources) {
      for await (const read of readRecords(source.chunks, source.format, { thread: options.thread })) {
        const at = { source: source.name, record: read.index + 1, notCarried: read.notCarried }
        let entry: RecordReport
        if ('rejected' in read) {
          entry = { ...at, id: read.id, outcome: 'rejected', reason: read.rejected, renamed: [] }
        } else {
          const decision = await plan.decide(read.item, read.madeId, position)
          if (decision.outcome === 'added') {
            if (!options.dryRun) await target.add(decision.item)
            entry = { ...at, id: String(decision.item.id), outcome: 'added', renamed: read.renamed }
          } else if (decision.outcome === 'updated') {
            if (!options.dryRun) await target.replace(decision.item)
            entry = { ...at, id: String(decision.item.id), outcome: 'updated', reason: decision.reason, renamed: read.renamed }
          } else {
            entry = { ...at, id: decision.id, outcome: decision.outcome, reason: decision.reason, renamed: read.renamed }
          }
        }
        position++
        totals[entry.outcome]++
        await report(entry)
      }
    }
  } catch (error) {
    await target.abort()
    throw error
  }
  const write = !options.dryRun && (totals.rejected === 0 || options.allowRejects) && totals.added + totals.updated > 0
  if (write) await target.commit()
  else await target.abort()
  return { totals, written: write }
}
