import type { Work } from '../catalogue/catalogue.js'
import type { CslItem, CslName } from '../catalogue/schema.js'
import { enwRecords } from './citation-js.js'
import { oneLine } from './line-records.js'
import { invertedName } from './names.js'
import { withPlainTitles } from './rich-text.js'

// Where citation-js's EndNote mapping writes nothing but title and abstract, the item is mapped as the
// nearest type it maps in full (as Zotero's Refer export does: a review is a journal article).
const MAPPED_AS: Readonly<Partial<Record<CslItem['type'], CslItem['type']>>> = {
  review: 'article-journal',
  'review-book': 'article-journal',
  collection: 'book',
  interview: 'personal_communication',
  event: 'document',
  performance: 'document',
  speech: 'document',
  treaty: 'document',
}

// citation-js writes a statute's publisher into its own tag (%#); every other publisher is %I.
const KEEPS_PUBLISHER: ReadonlySet<CslItem['type']> = new Set(['legislation'])

/** EndNote's refer convention: "Family, Given, Suffix"; an organisation's name ends with a comma. */
function referName(name: CslName): string {
  const written = invertedName(name)
  return name.family === undefined ? `${written},` : written
}

/**
 * The people and the publisher, in the tags EndNote defines and Zotero's Refer translator reads
 * back: %A author, %E editor, %? translator (subsidiary author), %I publisher (also a report's
 * institution and a thesis's university). citation-js writes editors of a book and the publisher of a
 * report as %Y (tertiary author), which Zotero reads as translators, and splits organisations.
 */
function peopleAndPublisher(item: CslItem): Array<[string, string]> {
  const names = (tag: string, list: readonly CslName[] | undefined) => (list ?? []).map((name): [string, string] => [tag, referName(name)])
  return [
    ...names('A', item.author),
    ...names('E', item.editor),
    ...names('?', item.translator),
    ...(item.publisher === undefined || KEEPS_PUBLISHER.has(item.type) ? [] : [['I', item.publisher] as [string, string]]),
  ]
}

/** What citation-js maps: everything but the people and the publisher, which are written above. */
function forCitationJs(item: CslItem): CslItem {
  const { author: _a, editor: _e, translator: _t, 'collection-editor': _c, publisher, ...rest } = withPlainTitles(item)
  return {
    ...rest,
    type: MAPPED_AS[item.type] ?? item.type,
    ...(publisher !== undefined && KEEPS_PUBLISHER.has(item.type) ? { publisher } : {}),
  }
}

/** EndNote tagged format (.enw): `%0 Journal Article`, then one `%X value` line per value. */
export function renderEndnote(works: readonly Work[]): string {
  return enwRecords(works.map((work) => forCitationJs(work.item)))
    .map(({ fields }, index) => {
      const { 0: type, ...tags } = fields
      const tagged: Array<[string, string]> = [
        ...peopleAndPublisher((works[index] as Work).item),
        ...Object.entries(tags).flatMap(([tag, values]) => [values].flat().map((value): [string, string] => [tag, value])),
      ]
      const lines = [`%0 ${oneLine(String(type))}`, ...tagged.map(([tag, value]) => `%${tag} ${oneLine(value)}`)]
      return `${lines.join('\n')}\n`
    })
    .join('\n')
}
