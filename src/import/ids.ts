import type { ParsedCsl } from '../formats/citation-js.js'

// A readable id for a record that comes without one: first author's family name, year and the
// title's first word, as reference managers make citation keys. Only what the record says goes into
// it, so re-importing the same record gives the same id.

function slug(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/<[^>]*>/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
}

function firstNamed(item: ParsedCsl): string | undefined {
  for (const variable of ['author', 'editor', 'translator', 'contributor']) {
    const names = item[variable]
    const name: unknown = Array.isArray(names) ? names[0] : undefined
    if (typeof name === 'object' && name !== null) {
      const { family, literal } = name as { family?: unknown; literal?: unknown }
      const written = typeof family === 'string' ? family : typeof literal === 'string' ? literal : undefined
      if (written !== undefined) return written
    }
  }
  return undefined
}

function yearOf(item: ParsedCsl): string | undefined {
  const issued = item.issued as { 'date-parts'?: unknown[][]; raw?: string; literal?: string } | undefined
  const year = issued?.['date-parts']?.[0]?.[0] ?? /\d{4}/.exec(issued?.raw ?? issued?.literal ?? '')?.[0]
  return typeof year === 'string' || typeof year === 'number' ? String(year) : undefined
}

// Words a title's first word is not chosen from, as in Better BibTeX's keys.
const SKIPPED = new Set(['a', 'an', 'the', 'on', 'of', 'and', 'in', 'der', 'die', 'das', 'le', 'la', 'les', 'el', 'un', 'une'])

function firstWord(title: unknown): string | undefined {
  if (typeof title !== 'string') return undefined
  return slug(title)
    .split('-')
    .find((word) => word !== '' && !SKIPPED.has(word))
}

/** A readable id made of the record's first name, year and title word ("berg-2020-fish"). */
export function madeId(item: ParsedCsl): string {
  const parts = [firstNamed(item), yearOf(item), firstWord(item.title)].filter((part): part is string => part !== undefined).map(slug)
  const id = parts.filter(Boolean).join('-')
  return id === '' ? 'work' : id
}
