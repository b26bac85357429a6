// DOIs are case-insensitive (DOI Handbook 2.4) and reach us bare, as doi:…, or as a doi.org URL.
const DOI_PREFIX = /^(?:doi:|https?:\/\/(?:dx\.)?doi\.org\/)/i

/** A DOI as it is written in a format's DOI field: without its doi: or URL prefix, its case kept. */
export function bareDoi(doi: string): string {
  return doi.trim().replace(DOI_PREFIX, '')
}

/** The form a DOI is indexed and compared under. */
export function normalizeDoi(doi: string): string {
  return bareDoi(doi).toLowerCase()
}
