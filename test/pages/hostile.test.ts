import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CslItem } from '../../src/catalogue/schema.js'
import { allElements, attribute, byClass, byTag, citationMeta, parseHtml, textOf, type Element } from '../fixtures/html.js'
import { appWith } from '../fixtures/works.js'

// Record text that tries to become markup everywhere a page puts it: element text, attribute values,
// the JSON-LD block and the COinS title.

const PAYLOAD = `</script><script>alert(1)</script>"'><img src=x onerror=alert(2)><!--`
const hostile: CslItem = {
  id: 'hostile-1',
  type: 'article-journal',
  title: `Title ${PAYLOAD} end`,
  abstract: `Abstract </script><script>alert(3)</script> ${PAYLOAD} \u2028 end`,
  author: [{ family: `<script>alert(4)</script>`, given: `"><svg onload=alert(5)>` }, { literal: `</title></head><body onload=alert(6)>` }],
  'container-title': `Journal ${PAYLOAD}`,
  publisher: `<iframe src=javascript:alert(7)>`,
  language: `en" onmouseover="alert(8)`,
  issued: { 'date-parts': [[2021, 1, 2]] },
}

const BROWSER = 'text/html,*/*;q=0.8'
const EXECUTABLE = new Set(['img', 'svg', 'iframe', 'object', 'embed', 'base', 'style', 'frame', 'math', 'video', 'audio'])

let app: FastifyInstance
beforeAll(async () => {
  app = await appWith(hostile)
})
afterAll(() => app.close())

/** Parses the page and fails on anything a record could have injected. */
async function safePage(url: string) {
  const response = await app.inject({ url, headers: { accept: BROWSER } })
  expect(response.statusCode, url).toBe(200)
  expect(response.body).not.toContain('<script>alert')
  const page = parseHtml(response.body)
  for (const element of allElements(page)) {
    expect(EXECUTABLE.has(element.tagName), `<${element.tagName}> in ${url}`).toBe(false)
    for (const { name, value } of element.attrs) {
      expect(name.startsWith('on'), `${name} on <${element.tagName}> in ${url}`).toBe(false)
      expect(value.trim().toLowerCase().startsWith('javascript:'), `${name}=${value}`).toBe(false)
    }
  }
  for (const script of byTag(page, 'script')) {
    if (attribute(script, 'type') === 'application/ld+json') continue
    expect(attribute(script, 'src')).toMatch(/^\/assets\//)
    expect(textOf(script)).toBe('')
  }
  return page
}

describe('a hostile record', () => {
  it('is only ever text on its landing page, and every copy of it reads back unchanged', async () => {
    const page = await safePage(`/pages/works/${hostile.id}`)
    expect(textOf(byTag(page, 'h1')[0] as Element)).toBe(hostile.title)
    expect(textOf(byTag(page, 'title')[0] as Element)).toBe(`${hostile.title} · citeserve`)
    expect(textOf(byClass(page, 'abstract')[0] as Element)).toBe(hostile.abstract)
    expect(textOf(byClass(page, 'authors')[0] as Element)).toBe(
      `"><svg onload=alert(5)> <script>alert(4)</script>; </title></head><body onload=alert(6)>`,
    )
    // An invalid language tag is not put into a lang attribute.
    expect(
      allElements(page)
        .filter((element) => attribute(element, 'lang') !== undefined)
        .map((element) => attribute(element, 'lang')),
    ).toEqual(['en'])

    const meta = new Map(citationMeta(page).map(([name, content]) => [name, content]))
    expect(meta.get('citation_title')).toBe(hostile.title)
    expect(meta.get('citation_journal_title')).toBe(hostile['container-title'])
    expect(meta.get('citation_publisher')).toBe(hostile.publisher)
    expect(citationMeta(page).filter(([name]) => name === 'citation_author')).toEqual([
      ['citation_author', `<script>alert(4)</script>, "><svg onload=alert(5)>`],
      ['citation_author', `</title></head><body onload=alert(6)>,`],
    ])

    const blocks = byTag(page, 'script').filter((script) => attribute(script, 'type') === 'application/ld+json')
    expect(blocks).toHaveLength(1)
    const jsonLd = JSON.parse(textOf(blocks[0] as Element)) as { name: string; abstract: string }
    expect(jsonLd.name).toBe(hostile.title)
    expect(jsonLd.abstract).toBe(hostile.abstract)

    // COinS are on the catalogue list, not on the landing page.
    expect(byClass(page, 'Z3988')).toEqual([])
    const list = await safePage('/')
    const coins = new URLSearchParams(attribute(byClass(list, 'Z3988')[0] as Element, 'title'))
    expect(coins.get('rft.atitle')).toBe(hostile.title)
    expect(coins.get('rft.jtitle')).toBe(hostile['container-title'])
  })

  it('is only text in the widget, the catalogue and a search for the payload', async () => {
    await safePage(`/works/${hostile.id}/widget`)
    const catalogue = await safePage('/')
    expect(textOf(byTag(byClass(catalogue, 'works')[0] as Element, 'a')[0] as Element)).toBe(hostile.title)
    const search = await safePage(`/?query=${encodeURIComponent('</script><script>alert(1)</script>')}`)
    expect(
      byTag(search, 'input')
        .find((input) => attribute(input, 'name') === 'query')
        ?.attrs.find((attr) => attr.name === 'value')?.value,
    ).toBe('</script><script>alert(1)</script>')
  })

  it('and a hostile style name are only text in the error of the citation box', async () => {
    const response = await app.inject({
      url: `/pages/works/${hostile.id}?style=${encodeURIComponent(PAYLOAD)}`,
      headers: { accept: BROWSER },
    })
    expect(response.statusCode).toBe(400)
    expect(response.body).not.toContain('<script>alert')
    const error = byClass(parseHtml(response.body), 'cite-error')[0] as Element
    expect(textOf(error)).toContain(`The style “${PAYLOAD}” is not available.`)
  })
})
