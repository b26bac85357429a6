import type { ImportFormat, ReadOutcome } from './reader.js'
import { isObject, readJson } from './json.js'
import { lenientCsl } from './lenient-csl.js'

function read(value: unknown): ReadOutcome[] {
  if (Array.isArray(value)) return value.flatMap(read)
  return [isObject(value) ? lenientCsl(value) : { error: 'a CSL-JSON item must be a JSON object' }]
}

export const cslJsonImport: ImportFormat = {
  name: 'csl-json',
  aliases: ['csl', 'json'],
  mediaTypes: ['application/vnd.citationstyles.csl+json', 'application/citeproc+json'],
  syntax: 'json',
  looksLike: (head) => /^\s*[[{]/.test(head),
  reader: () => ({ read: (texts) => readJson(texts, read) }),
}
