import { recordProblems } from '../catalogue/validate-record.js'
import { describeRecordProblem } from '../catalogue/record-problem.js'
import type { CslItem } from '../catalogue/schema.js'
import { isUnreadable, type NotCarried, type ReadOutcome } from '../formats/read/reader.js'
import { madeId } from './ids.js'

/** What reading made of one record of the input, before it is matched against the catalogue. */
export type ReadResult =
  | {
      readonly index: number
      readonly item: CslItem
      /** Whether the id was made by the importer rather than given by the source. */
      readonly madeId: boolean
      readonly notCarried: readonly NotCarried[]
      readonly renamed: readonly { readonly from: string; readonly to: string }[]
    }
  | { readonly index: number; readonly id?: string | undefined; readonly rejected: string; readonly notCarried: readonly NotCarried[] }

/**
 * What the reader of one input made of its records, in order, as validated CSL-JSON items with ids
 * or as rejections with their reasons; a batch at a time, wherever the reader ran.
 */
export class ReadResults {
  private index = 0

  of(outcomes: readonly ReadOutcome[]): ReadResult[] {
    return outcomes.map((outcome): ReadResult => {
      const position = this.index++
      if (isUnreadable(outcome)) return { index: position, rejected: outcome.error, notCarried: [] }
      const given =
        outcome.key ?? (typeof outcome.item.id === 'string' || typeof outcome.item.id === 'number' ? String(outcome.item.id) : '')
      const id = given === '' ? madeId(outcome.item) : given
      const item = { ...outcome.item, id }
      const problems = recordProblems(position, item)
      if (problems.length > 0) {
        const reasons = problems.map((problem) => describeRecordProblem(problem).replace(/^record \d+( \(id [^)]*\))?: /, ''))
        return { index: position, id, rejected: `not valid CSL-JSON: ${reasons.join('; ')}`, notCarried: outcome.notCarried }
      }
      return {
        index: position,
        item: item as CslItem,
        madeId: id !== given,
        notCarried: outcome.notCarried,
        renamed: outcome.renamed ?? [],
      }
    })
  }
}
