import { z } from 'zod'

// What an import over HTTP answers with, and what its refusal carries: the report of `citeserve
// import --json`, its records then its totals.

const outcome = z.enum(['added', 'updated', 'unchanged', 'skipped', 'rejected'])

const recordReport = z.object({
  source: z.string().describe('The input: `body` over HTTP'),
  record: z.number().int().describe('Position of the record in the input, from 1'),
  id: z.string().optional().describe('The id it has (or would have) in the catalogue'),
  outcome,
  reason: z.string().optional().describe('Why it was updated, skipped or rejected'),
  notCarried: z
    .array(z.object({ field: z.string(), reason: z.string() }))
    .readonly()
    .describe('Fields of the source no CSL variable carries; their values are kept under `custom`'),
  renamed: z
    .array(z.object({ from: z.string(), to: z.string() }))
    .readonly()
    .describe('Fields read as the CSL variable they mean'),
})

export const importReportSchema = z
  .object({
    records: z.array(recordReport).readonly(),
    totals: z.object({ added: z.number(), updated: z.number(), unchanged: z.number(), skipped: z.number(), rejected: z.number() }),
    written: z.boolean().describe('Whether the catalogue was changed'),
  })
  .meta({ id: 'ImportReport', description: 'What became of each record of an import, then the totals' })

export type ImportReportBody = z.infer<typeof importReportSchema>
