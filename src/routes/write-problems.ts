import { describeRecordProblem, type RecordProblem } from '../catalogue/record-problem.js'
import { InvalidRecordsError, PreconditionFailedError, RecordConflictError, WorkNotFoundError } from '../catalogue/store.js'
import { HttpProblem } from '../http/problem.js'

/** 422 listing every field in error of every record, worded as the start-up message words them. */
export function invalidRecords(problems: readonly RecordProblem[]): HttpProblem {
  return new HttpProblem('invalid-record', problems.map(describeRecordProblem).join('; '), {
    records: problems.map(({ index, id, field, message }) => ({ index, id, field, detail: message })),
  })
}

/**
 * The problem a store's refusal of a write is, or undefined for any other error: a store that cannot
 * answer now is the problems plugin's `storeProblemOf`, as for reads, so no database reason reaches clients.
 */
export function writeProblemOf(error: unknown): HttpProblem | undefined {
  if (error instanceof InvalidRecordsError) return invalidRecords(error.problems)
  if (error instanceof RecordConflictError) {
    return new HttpProblem('record-conflict', `Work "${error.otherId}" already has the ${error.field} of record "${error.id}".`, {
      conflict: { field: error.field, work: error.otherId },
    })
  }
  if (error instanceof PreconditionFailedError) {
    return new HttpProblem(
      'precondition-failed',
      `Work "${error.id}" is not in the state If-Match or If-None-Match requires: it changed, or it exists.`,
    )
  }
  if (error instanceof WorkNotFoundError) return new HttpProblem('not-found', `No work has the id "${error.id}".`)
  return undefined
}
