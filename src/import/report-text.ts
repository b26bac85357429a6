import { OUTCOMES, type ImportSummary, type RecordReport } from './run-import.js'

/** One record's report as the lines a person reads: outcome, id and reason, then each field not carried. */
export function recordLines(report: RecordReport): string {
  const where = `${report.source} record ${report.record}`
  const head = `${report.outcome.padEnd(9)} ${report.id ?? '-'}  (${where})${report.reason === undefined ? '' : `: ${report.reason}`}`
  const notes = [
    ...report.renamed.map(({ from, to }) => `  read ${from} as ${to}`),
    ...report.notCarried.map(({ field, reason }) => `  not carried: ${field}: ${reason}`),
  ]
  return [head, ...notes].map((line) => `${line}\n`).join('')
}

/** Counts of the fields that were not carried, by field, most frequent first. */
export class NotCarriedTally {
  private readonly counts = new Map<string, number>()

  count(report: RecordReport): void {
    for (const { field } of report.notCarried) {
      const name = field.replace(/\[\d+\]/g, '[]')
      this.counts.set(name, (this.counts.get(name) ?? 0) + 1)
    }
  }

  lines(): string {
    if (this.counts.size === 0) return 'every field was carried\n'
    const sorted = [...this.counts].sort(([a, countA], [b, countB]) => countB - countA || a.localeCompare(b))
    return `fields not carried (kept under custom): ${sorted.map(([field, count]) => `${field} ×${count}`).join(', ')}\n`
  }
}

export function totalsLine(summary: ImportSummary, into: string | undefined): string {
  const total = OUTCOMES.reduce((sum, outcome) => sum + summary.totals[outcome], 0)
  const counts = OUTCOMES.map((outcome) => `${summary.totals[outcome]} ${outcome}`).join(', ')
  const written = into === undefined ? 'nothing written' : summary.written ? `written to ${into}` : `nothing written to ${into}`
  return `${total} records: ${counts}; ${written}\n`
}
