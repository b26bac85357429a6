import { describe, expect, it } from 'vitest'
import { recordTexts } from '../../src/import/record-texts.js'

async function* chunks(...texts: string[]): AsyncGenerator<string> {
  yield* texts
}

async function cut(...texts: string[]): Promise<string[]> {
  const records: string[] = []
  for await (const record of recordTexts(chunks(...texts), 'bibtex')) records.push(record)
  return records
}

describe('cutting BibTeX into entries', () => {
  it('skips an @ between entries that no entry type follows, as BibTeX does', async () => {
    const text = [
      '% Maintainer: contact@example.org (questions welcome)',
      '@book{one, title = {One (first)}}',
      'A note with an address, me@example.org, and {braces}.',
      '@misc(two, title = "Two")',
    ].join('\n')
    expect(await cut(text)).toEqual(['@book{one, title = {One (first)}}', '@misc(two, title = "Two")'])
  })

  it('finds an entry split across chunks', async () => {
    expect(await cut('@article{k, title = {Spl', 'it}}\n')).toEqual(['@article{k, title = {Split}}'])
  })
})
