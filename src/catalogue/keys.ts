import type { CslItem } from './schema.js'

// Characters BibTeX and biber accept in a key without quoting; anything else becomes "-".
const UNSAFE_KEY_CHARACTERS = /[^A-Za-z0-9_.:+-]+/g
// A key that folding and replacing would leave as it is; most ids are such keys already.
const SAFE_KEY = /^[A-Za-z0-9_.:+](?:[A-Za-z0-9_.:+-]*[A-Za-z0-9_.:+])?$/

/** The citation key a record asks for (its `citation-key`, else its id), made BibTeX-safe. */
export function baseKey(item: CslItem): string {
  const wanted = item['citation-key'] ?? String(item.id)
  if (SAFE_KEY.test(wanted)) return wanted
  const key = wanted
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(UNSAFE_KEY_CHARACTERS, '-')
    .replace(/^-+|-+$/g, '')
  return key === '' ? 'work' : key
}

/** `base`, or the first of `base-2`, `base-3`, … not in `used`; the key chosen is added to `used`. */
export function uniqueKey(base: string, used: Set<string>): string {
  let key = base
  for (let suffix = 2; used.has(key); suffix++) key = `${base}-${suffix}`
  used.add(key)
  return key
}
