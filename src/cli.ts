#!/usr/bin/env node
// The `citeserve` command: subcommands that work on a catalogue outside the server.
import { importCommand, IMPORT_USAGE } from './import/command.js'

const USAGE = `usage: citeserve <command> [options]

commands:
  import    import BibTeX, BibLaTeX, RIS, EndNote, CSL-JSON, Crossref or DataCite records into a data file

${IMPORT_USAGE}`

const [command, ...rest] = process.argv.slice(2)
const streams = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr }
if (command === 'import') {
  process.exitCode = await importCommand(rest, streams)
} else if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
  process.stdout.write(USAGE)
} else {
  process.stderr.write(`citeserve: no command "${command}"\n${USAGE}`)
  process.exitCode = 2
}
