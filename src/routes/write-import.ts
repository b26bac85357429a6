import type { FastifyReply, FastifyRequest } from 'fastify'
import type { z } from 'zod'
import type { CatalogueStore } from '../catalogue/store.js'
import { importFormatOfMediaType } from '../formats/read/formats.js'
import type { ImportFormat } from '../formats/read/reader.js'
import { runImport, type RecordReport } from '../import/run-import.js'
import { StoreTarget } from '../import/store-target.js'
import type { ImportReportBody } from '../http/import-report.js'
import { HttpProblem } from '../http/problem.js'
import type { importQuery, importResultEnvelope } from './write-schemas.js'
import { writeProblemOf } from './write-problems.js'

type ImportQuery = z.infer<typeof importQuery>

/** The import format a request's Content-Type names, if it names one. */
export function importFormatOf(contentType: string | undefined): ImportFormat | undefined {
  const essence = contentType?.split(';')[0]?.trim()
  return essence === undefined || essence === '' ? undefined : importFormatOfMediaType(essence)
}

/** The import's options refused on a JSON array, which is written as it is: 400 naming each. */
export function refuseImportOptions(query: ImportQuery): void {
  const given = Object.keys(query).filter((name) => query[name as keyof ImportQuery] !== undefined)
  if (given.length === 0) return
  throw HttpProblem.invalidParameters(
    given.map((name) => ({
      in: 'query' as const,
      name,
      detail: 'is for an import (a body in BibTeX, RIS, EndNote, CSL-JSON or DataCite JSON), not for a JSON array of works',
    })),
  )
}

/** One text stream of the body; a JSON body has been parsed already, and is read again as text. */
async function* bodyText(body: unknown): AsyncGenerator<string> {
  yield typeof body === 'string' ? body : JSON.stringify(body)
}

export interface ImportRequest {
  readonly store: CatalogueStore
  readonly maxWorks: number
  readonly format: ImportFormat
  readonly query: ImportQuery
}

/**
 * Imports the body of `POST /works` in an import format, as `citeserve import` imports a file, into the
 * store in one all-or-nothing write. Answers the report (201 when a work was added), or refuses the
 * whole request with the report (422) when a record was rejected and rejects are not allowed.
 */
export async function importFromBody(
  request: FastifyRequest,
  reply: FastifyReply,
  { store, maxWorks, format, query }: ImportRequest,
): Promise<z.infer<typeof importResultEnvelope>> {
  for (const name of ['if-match', 'if-none-match'] as const) {
    if (request.headers[name] !== undefined) {
      throw HttpProblem.invalidParameters([
        { in: 'header', name, detail: 'does not apply to an import: on-conflict says what becomes of a record that matches a work' },
      ])
    }
  }
  const allowRejects = query['allow-rejects'] === 'true'
  const dryRun = query['dry-run'] === 'true'
  const records: RecordReport[] = []
  const ids: string[] = []
  request.writeTargets = ids
  let summary
  try {
    summary = await runImport(
      [{ name: 'body', chunks: bodyText(request.body), format }],
      new StoreTarget(store),
      { onConflict: query['on-conflict'] ?? 'fail', allowRejects, dryRun },
      (record) => {
        if (records.length >= maxWorks) {
          throw new HttpProblem(
            'content-too-large',
            `An import may have at most ${maxWorks} records; this one has more. Send them in several requests.`,
          )
        }
        records.push(record)
        if (record.id !== undefined) ids.push(record.id)
      },
    )
  } catch (error) {
    throw writeProblemOf(error) ?? error
  }
  const report: ImportReportBody = { records, totals: summary.totals, written: summary.written }
  const { rejected } = summary.totals
  if (rejected > 0 && !allowRejects) {
    throw new HttpProblem(
      'records-rejected',
      `${rejected} of ${records.length} records ${rejected === 1 ? 'was' : 'were'} rejected, so nothing was written; ` +
        '`report` says why. allow-rejects=true writes the others.',
      { report },
    )
  }
  request.written = records.flatMap(({ id, outcome }) => (id === undefined ? [] : [{ id, outcome: dryRun ? `${outcome} (dry run)` : outcome }]))
  if (summary.written && summary.totals.added > 0) reply.code(201)
  return { status: 'ok', 'message-type': 'work-import', 'message-version': '1.0.0', message: report }
}
