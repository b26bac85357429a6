// Writes a synthetic catalogue of N valid CSL-JSON records (`npm run gen:data -- 100000 [file] [seed]`),
// by default to data/synthetic-N.json; serve it with DATA_FILE=that file.
import { writeCatalogueFile } from './catalogue-file.js'
import { syntheticWorks } from './synthetic-catalogue.js'

const [countArgument = '', file, seedArgument = '42'] = process.argv.slice(2)
const count = Number(countArgument)
const seed = Number(seedArgument)
if (!Number.isInteger(count) || count < 1 || !Number.isInteger(seed)) {
  process.stderr.write('usage: npm run gen:data -- <count ≥ 1> [file] [seed]\n')
  process.exit(2)
}
const target = file ?? `data/synthetic-${count}.json`
await writeCatalogueFile(target, syntheticWorks(count, seed))
process.stdout.write(`${target}: ${count} records\n`)
