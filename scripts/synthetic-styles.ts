// A deterministic directory of dependent CSL styles, as many as the official collection has, for tests
// and the load test of style search and suggestions where Debian's package is not installed. Each is a
// journal's style that renders as APA (a built-in style), as most of the official ones are.
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

const FIELDS = ['physics', 'chemistry', 'medicine', 'ecology', 'linguistics', 'history', 'economics', 'neuroscience', 'oncology']
const KINDS = ['journal', 'annals', 'review', 'letters', 'bulletin', 'proceedings', 'transactions', 'archives']
const PLACES = ['', 'european', 'american', 'international', 'british', 'asian', 'nordic', 'pacific']
const EXTRAS = ['', 'applied', 'clinical', 'experimental', 'theoretical', 'computational', 'molecular', 'environmental']

/** The id and title of style `index`: "american-journal-of-clinical-oncology-42", "American Journal of Clinical Oncology 42". */
function styleName(index: number): { id: string; title: string } {
  const at = (list: readonly string[], step: number) => list[Math.floor(index / step) % list.length] as string
  const words = [at(PLACES, 1), at(KINDS, 8), 'of', at(EXTRAS, 64), at(FIELDS, 512), String(index)].filter((word) => word !== '')
  const title = words.map((word) => (word === 'of' ? word : word.charAt(0).toUpperCase() + word.slice(1))).join(' ')
  return { id: words.join('-'), title }
}

/** Writes `count` dependent styles into `directory`/dependent; returns their ids. */
export async function writeSyntheticStyles(directory: string, count: number): Promise<string[]> {
  const dependent = join(directory, 'dependent')
  await mkdir(dependent, { recursive: true })
  const names = Array.from({ length: count }, (_, index) => styleName(index))
  for (let start = 0; start < names.length; start += 256)
    await Promise.all(
      names.slice(start, start + 256).map(({ id, title }) =>
        writeFile(
          join(dependent, `${id}.csl`),
          `<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" version="1.0" default-locale="en-US">
  <info>
    <title>${title}</title>
    <id>http://www.zotero.org/styles/${id}</id>
    <link href="http://www.zotero.org/styles/apa" rel="independent-parent"/>
    <category citation-format="author-date"/>
  </info>
</style>
`,
        ),
      ),
    )
  return names.map(({ id }) => id)
}
