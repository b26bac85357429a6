import { describe, expect, it } from 'vitest'
import { Progress } from '../../src/import/progress.js'

async function* chunks(...texts: string[]): AsyncGenerator<string> {
  yield* texts
}

async function drain(stream: AsyncIterable<string>): Promise<number> {
  let read = 0
  for await (const chunk of stream) read += chunk.length
  return read
}

describe('the progress line', () => {
  it('shows records, rate and how much of the input is read, on a terminal, and clears itself', async () => {
    let written = ''
    const progress = new Progress({ isTTY: true, write: (text) => void (written += text) })
    expect(await drain(progress.counting(chunks('abcd', 'efgh'), 16))).toBe(8)
    progress.record()
    const clearLine = '\r\u001b[K'
    expect(written.startsWith(clearLine)).toBe(true)
    expect(written.slice(clearLine.length)).toMatch(/^importing: 50% 1 records, \d+\/s$/)
    progress.done()
    expect(written.endsWith('\r\u001b[K')).toBe(true)
  })

  it('writes nothing when the output is not a terminal', async () => {
    let written = ''
    const progress = new Progress({ write: (text) => void (written += text) })
    await drain(progress.counting(chunks('abcd'), 4))
    progress.record()
    progress.done()
    expect(written).toBe('')
  })
})
