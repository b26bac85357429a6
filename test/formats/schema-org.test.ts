import jsonld from 'jsonld'
import { describe, expect, it } from 'vitest'
import { renderSchemaOrg } from '../../src/formats/schema-org.js'
import { worksOf, richItem, seed } from '../fixtures/works.js'

// jsonld.js (the JSON-LD reference implementation) expands the output; schema.org's context is
// served to it locally as @vocab, since the tests have no network.
const documentLoader = async (url: string) => {
  if (!/^https?:\/\/schema\.org\/?$/.test(url)) throw new Error(`unexpected context ${url}`)
  return { contextUrl: undefined, documentUrl: url, document: { '@context': { '@vocab': 'https://schema.org/' } } }
}
const S = 'https://schema.org/'

async function expand(text: string) {
  return (await jsonld.expand(JSON.parse(text) as object, { documentLoader })) as Record<string, unknown[]>[]
}

describe('schema.org JSON-LD', () => {
  it('describes the seed record as a ScholarlyArticle', async () => {
    const [node, ...others] = await expand(renderSchemaOrg(worksOf(seed)))
    expect(others).toEqual([])
    expect(node?.['@type']).toEqual([`${S}ScholarlyArticle`])
    expect(node?.[`${S}name`]).toEqual([{ '@value': 'Interleukin-2 in cancer' }])
    expect(node?.[`${S}datePublished`]).toEqual([{ '@value': '2005-02-24' }])
    expect(node?.[`${S}pageStart`]).toEqual([{ '@value': '273' }])
    expect(node?.[`${S}pageEnd`]).toEqual([{ '@value': '285' }])
    expect(node?.[`${S}abstract`]).toEqual([{ '@value': seed.abstract }])
    expect(node).not.toHaveProperty(`${S}author`)
  })

  it('gives authors, the journal, volume, issue and the DOI', async () => {
    const [node] = await expand(renderSchemaOrg(worksOf(richItem)))
    expect(node?.['@id']).toBe('https://doi.org/10.1234/ABC.def')
    const authors = node?.[`${S}author`] as Record<string, unknown[]>[]
    expect(authors.map((author) => author['@type'])).toEqual([[`${S}Person`], [`${S}Person`], [`${S}Person`], [`${S}Organization`]])
    expect(authors[0]?.[`${S}familyName`]).toEqual([{ '@value': 'van der Berg' }])
    const issue = (node?.[`${S}isPartOf`] as Record<string, unknown[]>[])[0]
    expect(issue?.[`${S}issueNumber`]).toEqual([{ '@value': '3' }])
    const volume = (issue?.[`${S}isPartOf`] as Record<string, unknown[]>[])[0]
    expect(volume?.[`${S}volumeNumber`]).toEqual([{ '@value': '12' }])
    const periodical = (volume?.[`${S}isPartOf`] as Record<string, unknown[]>[])[0]
    expect(periodical?.[`${S}name`]).toEqual([{ '@value': 'Journal of Awkward Text' }])
  })

  it('puts several works in a @graph', async () => {
    expect(await expand(renderSchemaOrg(worksOf(seed, richItem)))).toHaveLength(2)
  })
})
