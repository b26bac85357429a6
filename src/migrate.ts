// `npm run migrate` (or `node dist/migrate.js`): brings the database schema up to date and exits, for
// deployments that migrate in a step of their own (DATABASE_MIGRATE=never on the replicas).
import { migrateDatabase } from './catalogue/postgres/migrate.js'
import { ConfigError, loadConfig } from './config.js'

try {
  const config = loadConfig(process.env)
  if (config.DATABASE_URL === undefined) throw new ConfigError('DATABASE_URL is not set: there is no database to migrate')
  const applied = await migrateDatabase(config.DATABASE_URL)
  process.stdout.write(
    applied.length === 0 ? 'citeserve: the database schema is up to date\n' : `citeserve: applied ${applied.join(', ')}\n`,
  )
} catch (error) {
  process.stderr.write(`citeserve: cannot migrate: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exitCode = 1
}
