import type { ParsedCsl } from '../citation-js.js'

/** A field of the source that no CSL variable carries; its text is kept under the record's `custom`. */
export interface NotCarried {
  readonly field: string
  readonly reason: string
}

/** A record as read from its source: CSL-JSON still to be validated, with what could not be carried. */
export interface ReadRecord {
  readonly item: ParsedCsl
  /** The source's own key for the record (a BibTeX key, a RIS ID), which becomes its id. */
  readonly key?: string | undefined
  readonly notCarried: readonly NotCarried[]
  /** Fields read under another name than the source gave them (`originalDate` as `original-date`). */
  readonly renamed?: readonly { readonly from: string; readonly to: string }[]
}

/** A record that could not be read at all, and why. */
export interface Unreadable {
  readonly error: string
}

export type ReadOutcome = ReadRecord | Unreadable

/**
 * Reads the records of one import, a batch of record texts at a time, in order. A reader keeps what
 * later records need from earlier ones (BibTeX's @string macros), so each import makes its own.
 */
export interface RecordReader {
  read(texts: readonly string[]): ReadOutcome[]
}

/** How a stream of the format is cut into record texts before it is read. */
export type RecordSyntax = 'bibtex' | 'ris' | 'endnote' | 'json'

export interface ImportFormat {
  readonly name: string
  /** Other names `--from` accepts. */
  readonly aliases: readonly string[]
  /** The media types a body in this format is sent as (POST /works), the usual one first. */
  readonly mediaTypes: readonly string[]
  readonly syntax: RecordSyntax
  /** Whether reading its records costs much more than matching and writing them, so that a long input pays for a thread of its own. */
  readonly readsSlowly?: boolean
  /** Whether the start of a stream (its first few kilobytes) is in this format. */
  looksLike(head: string): boolean
  reader(): RecordReader
}

export function isUnreadable(outcome: ReadOutcome): outcome is Unreadable {
  return 'error' in outcome
}

/** The record with the source's uncarried fields kept, as written, under `custom[format]`. */
export function keepingUncarried(item: ParsedCsl, format: string, kept: Readonly<Record<string, unknown>>): ParsedCsl {
  if (Object.keys(kept).length === 0) return item
  const custom = typeof item.custom === 'object' && item.custom !== null ? (item.custom as Record<string, unknown>) : {}
  return { ...item, custom: { ...custom, [format]: kept } }
}
