import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { VALIDATOR_FILE, validatorCode } from '../../scripts/csl-data-validator.js'

describe('the generated CSL-JSON validator', () => {
  it('is what ajv makes of the committed schema today (npm run csl-data-validator writes it)', () => {
    expect(readFileSync(VALIDATOR_FILE, 'utf8') === validatorCode()).toBe(true)
  })
})
