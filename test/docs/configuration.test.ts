import { describe, expect, it } from 'vitest'
import { configTable, documentedTable } from '../../scripts/config-table.js'
import { configSchema } from '../../src/config.js'

describe('docs/configuration.md', () => {
  it('documents every variable of the config schema, with its default and description (npm run config-table)', () => {
    expect(documentedTable()).toBe(configTable())
    for (const name of Object.keys(configSchema.shape)) expect(documentedTable()).toContain(`| \`${name}\` |`)
  })
})
