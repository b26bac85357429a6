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

/** ISO 8601 as far as the date goes: 2005, 2005-02 or 2005-02-24; else the date as written. */
export function isoDate(date: CslDate | undefined): string | undefined {
  return joinedDate(date, '-') ?? date?.raw ?? date?.literal
}

/** The four-digit year of a date, when it has one. */
export function yearOf(date: CslDate | undefined): string | undefined {
  const year = date?.['date-parts']?.[0]?.[0]
  return year !== undefined && /^\d{1,4}$/.test(String(year)) ? String(year).padStart(4, '0') : undefined
}

/** The keywords of CSL-JSON's one `keyword` string, which separates them with commas or semicolons. */
export function keywords(keyword: string | undefined): string[] {
  return (keyword ?? '')
    .split(/[,;]/)
    .map((word) => word.trim())
    .filter((word) => word !== '')
}

/** A language tag as XML Schema's xs:language accepts it (en, en-GB); undefined for anything else. */
export function languageTag(language: string | undefined): string | undefined {
  return language !== undefined && /^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$/.test(language) ? language : undefined
}
