/** The parts of a record a word can be found in, as bits: an index posting carries the parts it was found in. */
export const FIELD = {
  title: 1,
  container: 2,
  author: 4,
  editor: 8,
  otherNames: 16,
  abstract: 32,
  year: 64,
  volume: 128,
  issue: 256,
  page: 512,
} as const
export type FieldBit = (typeof FIELD)[keyof typeof FIELD]
/** One more than the largest combination of field bits. */
export const FIELD_MASKS = 1024
