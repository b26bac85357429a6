// `npm run load-works -- FILE` (or `node dist/load-works.js FILE`): moves a file catalogue into the
// database at DATABASE_URL. It migrates the database, then adds the file's works after those already
// there in one transaction: all of them or, when one is invalid or has the id or DOI of a work, none.
// FILE may be /dev/stdin, for a file piped in from elsewhere (kubectl exec -i, docker compose run -T).
import { readDataFile } from './catalogue/load.js'
import { loadWorks } from './catalogue/postgres/load-works.js'
import { migrateDatabase } from './catalogue/postgres/migrate.js'
import { PostgresStore } from './catalogue/postgres/postgres-store.js'
import { describeRecordProblem } from './catalogue/record-problem.js'
import { InvalidRecordsError } from './catalogue/store.js'
import { ConfigError, loadConfig } from './config.js'
import { databaseOptions } from './database.js'

/** The reason to print: every invalid record's field, or the error's own message. */
function reasonOf(error: unknown): string {
  if (error instanceof InvalidRecordsError) return error.problems.map(describeRecordProblem).join('\n')
  return error instanceof Error ? error.message : String(error)
}

const [file, ...rest] = process.argv.slice(2)
try {
  if (file === undefined || rest.length > 0) throw new ConfigError('usage: npm run load-works -- FILE (a CSL-JSON catalogue file)')
  const options = databaseOptions(loadConfig(process.env))
  if (options === undefined) throw new ConfigError('DATABASE_URL is not set: there is no database to load into')
  const { items } = await readDataFile(file)
  await migrateDatabase(options.url)
  const store = await PostgresStore.open(options)
  try {
    const { works } = await loadWorks(store, items)
    process.stdout.write(`citeserve: added ${works} work${works === 1 ? '' : 's'} from ${file}\n`)
  } finally {
    await store.close()
  }
} catch (error) {
  process.stderr.write(`citeserve: cannot load: ${reasonOf(error)}\n`)
  process.exitCode = 1
}
