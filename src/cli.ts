#!/usr/bin/env node
// The `citeserve` command: subcommands that work on a catalogue outside the server.
import { setFlagsFromString } from 'node:v8'
import { importCommand, IMPORT_USAGE } from './import/command.js'
import { openDatabaseTarget } from './import-database.js'

// An import makes garbage at a steady rate and keeps little; V8's default lets the heap grow several
// times over what is live before it collects, and a heap that grows only a quarter keeps the
// resident memory of a long import bounded at no measurable cost in speed.
setFlagsFromString('--heap-growing-percent=25')

const USAGE = `usage: citeserve <command> [options]

commands:
  import    import BibTeX, BibLaTeX, RIS, EndNote, CSL-JSON, Crossref or DataCite records into a data file
            or the PostgreSQL store

${IMPORT_USAGE}`

const [command, ...rest] = process.argv.slice(2)
const streams = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr }
if (command === 'import') {
  process.exitCode = await importCommand(rest, streams, (url) => openDatabaseTarget(url, process.env))
} else if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
  process.stdout.write(USAGE)
} else {
  process.stderr.write(`citeserve: no command "${command}"\n${USAGE}`)
  process.exitCode = 2
}
