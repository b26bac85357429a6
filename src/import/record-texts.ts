import type { RecordSyntax } from '../formats/read/reader.js'

// Cuts a decoded text stream into the texts of its records, holding no more than one record and one
// chunk at a time. Readers parse whole files; this is what lets a file of any length stream through them.

interface Cutter {
  /** The records complete in `text`, and the offset where the incomplete rest begins. */
  cut(text: string, final: boolean): { records: string[]; rest: number }
}

/** RIS: a record runs from its `TY  -` line to its `ER  -` line. */
function lineCutter(starts: RegExp, ends: RegExp | undefined): Cutter {
  return {
    cut(text, final) {
      const records: string[] = []
      let start = -1
      let rest = 0
      let position = 0
      while (position < text.length) {
        const newline = text.indexOf('\n', position)
        if (newline === -1 && !final) break
        const lineEnd = newline === -1 ? text.length : newline + 1
        const line = text.slice(position, lineEnd)
        if (starts.test(line)) {
          if (start !== -1 && ends === undefined) records.push(text.slice(start, position))
          start = position
        } else if (ends?.test(line) && start !== -1) {
          records.push(text.slice(start, lineEnd))
          start = -1
        }
        position = lineEnd
        rest = start === -1 ? position : start
      }
      if (final && start !== -1) {
        records.push(text.slice(start))
        rest = text.length
      }
      return { records, rest }
    },
  }
}

const BIBTEX_SIGNIFICANT = /[@{}()\\]/g
/** What comes between an entry's `@` and its opening brace: its type, and nothing else but blanks. */
const ENTRY_TYPE = /^@\s*[A-Za-z]+\s*$/

/**
 * BibTeX: an entry runs from its `@` to the brace (or parenthesis) that closes the one after its type,
 * counting the braces of its values, which BibTeX requires to balance; `\{` and `\}` are not counted.
 */
const bibtexCutter: Cutter = {
  cut(text, final) {
    const records: string[] = []
    let rest = 0
    let start = -1
    let depth = 0
    let closer = ''
    BIBTEX_SIGNIFICANT.lastIndex = 0
    for (let match = BIBTEX_SIGNIFICANT.exec(text); match !== null; match = BIBTEX_SIGNIFICANT.exec(text)) {
      const character = match[0]
      const at = match.index
      if (start === -1) {
        if (character === '@') {
          start = at
          depth = 0
          closer = ''
          rest = at
        }
        continue
      }
      if (character === '\\') {
        BIBTEX_SIGNIFICANT.lastIndex = at + 2
      } else if (closer === '') {
        if ((character === '{' || character === '(') && !ENTRY_TYPE.test(text.slice(start, at))) {
          // An `@` in text between entries (an e-mail address in a comment) that no entry type follows:
          // BibTeX skips it, and so does the cutter.
          start = -1
          rest = at + 1
        } else if (character === '{' || character === '(') {
          closer = character === '{' ? '}' : ')'
          depth = 1
        } else if (character === '@') start = at
      } else if (character === '{') depth++
      else if (character === '}') depth--
      if (closer !== '' && (depth === 0 || (closer === ')' && character === ')' && depth === 1))) {
        records.push(text.slice(start, at + 1))
        start = -1
        rest = at + 1
      }
    }
    if (start === -1) rest = final ? text.length : Math.max(rest, text.lastIndexOf('\n') + 1)
    else if (final) {
      records.push(text.slice(start))
      rest = text.length
    }
    return { records, rest }
  },
}

/**
 * JSON: the elements of a top-level array one by one; any other value whole. Strings are skipped
 * with their escapes, so that brackets inside them do not count.
 */
function jsonCutter(): Cutter {
  let array: boolean | undefined
  return {
    cut(text, final) {
      const records: string[] = []
      let position = 0
      if (array === undefined) {
        const first = /\S/.exec(text)
        if (!first) return { records, rest: text.length }
        array = first[0] === '['
        position = first.index + (array ? 1 : 0)
      }
      if (!array) return final ? { records: [text.slice(position)], rest: text.length } : { records, rest: 0 }
      let start = position
      let depth = 0
      for (let index = position; index < text.length; index++) {
        const code = text.charCodeAt(index)
        if (code === 0x22) {
          index++
          while (index < text.length && text.charCodeAt(index) !== 0x22) index += text.charCodeAt(index) === 0x5c ? 2 : 1
          if (index >= text.length) break
        } else if (code === 0x7b || code === 0x5b) depth++
        else if ((code === 0x7d || code === 0x5d) && depth > 0) depth--
        else if (depth === 0 && (code === 0x2c || code === 0x5d)) {
          const element = text.slice(start, index).trim()
          if (element !== '') records.push(element)
          start = index + 1
        }
      }
      return { records, rest: final ? text.length : start }
    },
  }
}

function cutterFor(syntax: RecordSyntax): Cutter {
  switch (syntax) {
    case 'ris':
      return lineCutter(/^\s*TY {2}-/, /^\s*ER {2}-/)
    case 'endnote':
      return lineCutter(/^%0 /, undefined)
    case 'bibtex':
      return bibtexCutter
    case 'json':
      return jsonCutter()
  }
}

/** The record texts of a stream of text chunks in the given syntax, in order. */
export async function* recordTexts(chunks: AsyncIterable<string>, syntax: RecordSyntax): AsyncGenerator<string> {
  const cutter = cutterFor(syntax)
  let buffer = ''
  for await (const chunk of chunks) {
    buffer += chunk
    const { records, rest } = cutter.cut(buffer, false)
    buffer = buffer.slice(rest)
    yield* records
  }
  yield* cutter.cut(buffer, true).records
}
