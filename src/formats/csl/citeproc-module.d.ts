// citeproc-js ships no type declarations; this declares the part of its API citeserve calls.
declare module 'citeproc' {
  interface CiteprocSys {
    retrieveLocale(locale: string): string | object
    retrieveItem(id: string): object
  }
  type BibliographyResult = [{ bibstart: string; bibend: string; entry_ids: string[][] }, string[]]
  class Engine {
    constructor(sys: CiteprocSys, style: string, locale?: string, forceLocale?: boolean)
    sys: CiteprocSys
    tmp: { cite_locales: unknown[] }
    opt: { development_extensions: { wrap_url_and_doi: boolean } }
    setOutputFormat(format: 'text' | 'html'): void
    updateItems(ids: string[]): string[]
    makeBibliography(): BibliographyResult | false
    rebuildProcessorState(citations: object[], format: 'text' | 'html', uncited: string[]): [string, number, string][]
  }
  const CSL: { Engine: typeof Engine }
  export default CSL
}
