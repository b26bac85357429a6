import { describe, expect, it } from 'vitest'
import { readAll, readItems } from './read.js'

// Works as Crossref's REST API (/works/{doi}) and DataCite's (/dois/{doi}) describe them, trimmed to
// the fields that matter and the bookkeeping around them.

const crossrefWork = {
  status: 'ok',
  'message-type': 'work',
  'message-version': '1.0.0',
  message: {
    DOI: '10.1038/nature12373',
    type: 'journal-article',
    title: ['Nanometre-scale thermometry in a living cell'],
    subtitle: [],
    'container-title': ['Nature'],
    'short-container-title': ['Nature'],
    author: [
      { given: 'G.', family: 'Kucsko', sequence: 'first', affiliation: [] },
      { given: 'P. C.', family: 'Maurer', sequence: 'additional', affiliation: [{ name: 'Harvard University' }] },
    ],
    issued: { 'date-parts': [[2013, 7, 31]] },
    volume: '500',
    issue: '7460',
    page: '54-58',
    publisher: 'Springer Science and Business Media LLC',
    ISSN: ['0028-0836', '1476-4687'],
    subject: ['Multidisciplinary'],
    abstract: '<jats:p>Sensitive probing of temperature variations on nanometre scales.</jats:p>',
    'is-referenced-by-count': 1234,
    URL: 'https://doi.org/10.1038/nature12373',
  },
}

const dataciteDoi = {
  data: {
    id: '10.5061/dryad.8515',
    type: 'dois',
    attributes: {
      doi: '10.5061/dryad.8515',
      titles: [{ title: 'Data from: A new malaria vector' }, { title: 'Anopheles', titleType: 'Subtitle' }],
      creators: [
        { name: 'Ollomo, Benjamin', nameType: 'Personal', givenName: 'Benjamin', familyName: 'Ollomo', affiliation: ['CIRMF'] },
        { name: 'Dryad Consortium', nameType: 'Organizational' },
      ],
      publisher: 'Dryad',
      publicationYear: 2011,
      types: { resourceTypeGeneral: 'Dataset', resourceType: 'Observations' },
      descriptions: [{ description: 'Mosquitoes were caught.', descriptionType: 'Abstract' }],
      subjects: [{ subject: 'Plasmodium' }, { subject: 'malaria' }],
      url: 'http://datadryad.org/stash/dataset/doi:10.5061/dryad.8515',
      version: '1',
      state: 'findable',
    },
  },
}

describe('records from registries', () => {
  it('reads a Crossref work as CSL-JSON, keeping what has no variable', async () => {
    const [result] = await readAll(JSON.stringify(crossrefWork))
    if (result === undefined || 'rejected' in result) throw new Error(JSON.stringify(result))
    expect(result.item).toMatchObject({
      type: 'article-journal',
      title: 'Nanometre-scale thermometry in a living cell',
      'container-title': 'Nature',
      author: [
        { given: 'G.', family: 'Kucsko' },
        { given: 'P. C.', family: 'Maurer' },
      ],
      issued: { 'date-parts': [[2013, 7, 31]] },
      ISSN: '0028-0836',
      keyword: 'Multidisciplinary',
      abstract: 'Sensitive probing of temperature variations on nanometre scales.',
      custom: { 'is-referenced-by-count': 1234, ISSN: ['1476-4687'] },
    })
    expect(result.item.id).toBe('kucsko-2013-nanometre')
    expect(result.notCarried.map(({ field }) => field)).toContain('author[1].affiliation')
  })

  it('reads a Crossref work list item by item', async () => {
    const list = {
      status: 'ok',
      'message-type': 'work-list',
      message: { items: [crossrefWork.message, { ...crossrefWork.message, DOI: '10.1/x' }] },
    }
    expect(await readItems(JSON.stringify(list))).toHaveLength(2)
  })

  it('reads a DataCite DOI with its types through the table the DataCite export writes', async () => {
    const [item] = await readItems(JSON.stringify(dataciteDoi))
    expect(item).toMatchObject({
      DOI: '10.5061/dryad.8515',
      type: 'dataset',
      genre: 'Observations',
      title: 'Data from: A new malaria vector: Anopheles',
      author: [{ family: 'Ollomo', given: 'Benjamin' }, { literal: 'Dryad Consortium' }],
      publisher: 'Dryad',
      issued: { 'date-parts': [[2011]] },
      abstract: 'Mosquitoes were caught.',
      keyword: 'Plasmodium, malaria',
      version: '1',
    })
    expect(item?.custom).toMatchObject({ state: 'findable', 'author[0]': { affiliation: ['CIRMF'] } })
  })
})
