/** One thing wrong with one record of the data file. */
export interface RecordProblem {
  /** Position of the record in the file's array, from 0. */
  readonly index: number
  readonly id?: string | number
  /** Path of the field inside the record, such as `author[0].family`. */
  readonly field: string
  readonly message: string
}

export function describeRecordProblem({ index, id, field, message }: RecordProblem): string {
  const record = id === undefined ? `record ${index}` : `record ${index} (id ${JSON.stringify(id)})`
  return `${record}: field "${field}": ${message}`
}
