import { CachingTokenizer, ownToken } from '../search-index.js'
import type { CslItem } from '../schema.js'
import { FIELD, type FieldBit } from './fields.js'
import { forEachFieldText } from './relevance.js'

/** An Int32Array that grows as values are pushed: an index build collects millions of postings. */
class Int32Buffer {
  private array = new Int32Array(1024)
  length = 0

  push(value: number): void {
    if (this.length === this.array.length) {
      const larger = new Int32Array(this.array.length * 2)
      larger.set(this.array)
      this.array = larger
    }
    this.array[this.length++] = value
  }

  get(index: number): number {
    return this.array[index] as number
  }
}

/**
 * Word → the records holding it, with the fields each holds it in, packed into flat typed arrays (a
 * word's postings are one slice, positions ascending), plus each record's title as word ids, for the
 * phrase bonus. Flat arrays keep the many postings of a large catalogue compact and out of the way
 * of the garbage collector.
 */
export class Postings {
  constructor(
    readonly ids: ReadonlyMap<string, number>,
    /** Where each word's slice begins; one more entry than words, so a slice ends where the next begins. */
    readonly starts: Int32Array,
    readonly positions: Int32Array,
    readonly masks: Uint16Array,
    readonly titleStarts: Int32Array,
    readonly titleWords: Int32Array,
  ) {}

  /** How many records hold the word with this id. */
  count(id: number): number {
    return (this.starts[id + 1] as number) - (this.starts[id] as number)
  }

  static empty(): Postings {
    return new PostingsBuilder().finish(0)
  }

  /** Builds the postings of the records, in position order, awaiting `pause` between slices of them. */
  static async build(items: readonly CslItem[], pause: () => Promise<void>, slice: number): Promise<Postings> {
    const builder = new PostingsBuilder()
    for (let position = 0; position < items.length; position++) {
      builder.add(items[position] as CslItem, position)
      if (position % slice === slice - 1) await pause()
    }
    return builder.finish(items.length)
  }
}

class PostingsBuilder {
  private readonly tokenizer = new CachingTokenizer()
  private readonly ids = new Map<string, number>()
  private readonly words = new Int32Buffer()
  private readonly positions = new Int32Buffer()
  private readonly masks = new Int32Buffer()
  private readonly titleWords = new Int32Buffer()
  private readonly titleStarts = new Int32Buffer()
  // For the record being added: the words found so far, and for each word id the fields it was found
  // in and the record that last set them (arrays by word id, reused from record to record).
  private readonly found: number[] = []
  private fieldsOf = new Uint16Array(1024)
  private recordOf = new Int32Array(1024).fill(-1)

  private idOf(word: string): number {
    let id = this.ids.get(word)
    if (id === undefined) {
      id = this.ids.size
      this.ids.set(ownToken(word), id)
      if (id === this.recordOf.length) {
        const fieldsOf = new Uint16Array(id * 2)
        fieldsOf.set(this.fieldsOf)
        this.fieldsOf = fieldsOf
        const recordOf = new Int32Array(id * 2).fill(-1)
        recordOf.set(this.recordOf)
        this.recordOf = recordOf
      }
    }
    return id
  }

  add(item: CslItem, position: number): void {
    this.found.length = 0
    this.titleStarts.push(this.titleWords.length)
    let field: FieldBit = FIELD.title
    const post = (word: string) => {
      const id = this.idOf(word)
      if (this.recordOf[id] !== position) {
        this.recordOf[id] = position
        this.fieldsOf[id] = 0
        this.found.push(id)
      }
      this.fieldsOf[id] = (this.fieldsOf[id] as number) | field
      if (field === FIELD.title) this.titleWords.push(id)
    }
    forEachFieldText(item, (text, textField) => {
      field = textField
      this.tokenizer.forEachToken(text, post)
    })
    for (const id of this.found) {
      this.words.push(id)
      this.positions.push(position)
      this.masks.push(this.fieldsOf[id] as number)
    }
  }

  /** Sorts the postings by word (a counting sort, which keeps each word's positions ascending). */
  finish(records: number): Postings {
    this.titleStarts.push(this.titleWords.length)
    const starts = new Int32Array(this.ids.size + 1)
    for (let index = 0; index < this.words.length; index++) {
      const word = this.words.get(index)
      starts[word + 1] = (starts[word + 1] as number) + 1
    }
    for (let id = 0; id < this.ids.size; id++) starts[id + 1] = (starts[id + 1] as number) + (starts[id] as number)
    const next = starts.slice(0, this.ids.size)
    const positions = new Int32Array(this.words.length)
    const masks = new Uint16Array(this.words.length)
    for (let index = 0; index < this.words.length; index++) {
      const word = this.words.get(index)
      const at = next[word] as number
      next[word] = at + 1
      positions[at] = this.positions.get(index)
      masks[at] = this.masks.get(index)
    }
    const titleStarts = new Int32Array(records + 1)
    for (let position = 0; position <= records; position++) titleStarts[position] = this.titleStarts.get(position)
    const titleWords = new Int32Array(this.titleWords.length)
    for (let index = 0; index < titleWords.length; index++) titleWords[index] = this.titleWords.get(index)
    return new Postings(this.ids, starts, positions, masks, titleStarts, titleWords)
  }
}
