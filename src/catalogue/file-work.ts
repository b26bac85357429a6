import { createHash } from 'node:crypto'
import type { CslItem } from './schema.js'
import type { StoredWork } from './store.js'

/** A record's version: a digest of its content, equal for equal records in every process. */
export function contentVersion(item: CslItem, json = JSON.stringify(item)): string {
  return createHash('sha1').update(json).digest('base64url')
}

/**
 * A work of the file store. Its version is digested when first asked for, not at load: a large
 * catalogue loads without digesting every record, and most records are never rendered.
 */
export class FileWork implements StoredWork {
  readonly id: string
  #version: string | undefined

  constructor(
    readonly item: CslItem,
    readonly key: string,
    readonly seq: number,
    readonly modified: Date,
  ) {
    this.id = String(item.id)
  }

  get version(): string {
    this.#version ??= contentVersion(this.item)
    return this.#version
  }
}
