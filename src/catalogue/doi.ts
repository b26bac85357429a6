// DOIs are case-insensitive (DOI Handbook 2.4) and reach us bare, as doi:…, or as a doi.org URL.
const DOI_PREFIX = /^(?:doi:|https?:\/\/(?:dx\.)?doi\.org\/)/i

/** The form a DOI is indexed and compared under. */
export function normalizeDoi(doi: string): string {
  return doi.trim().replace(DOI_PREFIX, '').toLowerCase()
}
