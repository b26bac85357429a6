import type { CslDate } from '../catalogue/schema.js'

// CSL-JSON values read the same way wherever they are written out: schema.org, RIS, and the landing
// page's facts, Highwire tags and COinS.

/** The date's year, month and day as far as it has them, zero-padded and joined: 2005/02/24 with "/". */
export function joinedDate(date: CslDate | undefined, separator: string): string | undefined {
  const parts = date?.['date-parts']?.[0]
  if (!parts || parts.length === 0) return undefined
  return parts.map((part, index) => String(part).padStart(index === 0 ? 4 : 2, '0')).join(separator)
}

/** The first and last page of a range such as "100-110" or "273–285"; undefined for anything else. */
export function pageRange(page: string | number | undefined): { first: string; last: string } | undefined {
  const range = /^\s*([^\s–—-]+)\s*[-–—]+\s*([^\s–—-]+)\s*$/.exec(String(page ?? ''))
  return range ? { first: range[1] as string, last: range[2] as string } : undefined
}
