// The entry of the thread that reads an import's records (see reading-thread.ts): the format's reader,
// parsing and mapping to CSL, the costliest part of an import, works here while the importing thread
// cuts the input, validates, matches and writes.
import { parentPort, workerData, type MessagePort } from 'node:worker_threads'
import { importFormat } from '../formats/read/formats.js'
import type { ReadingThreadData } from './reading-thread.js'

const { format } = workerData as ReadingThreadData
const chosen = importFormat(format)
if (chosen === undefined) throw new Error(`no import format named "${format}"`)
const reader = chosen.reader()
// This module only ever runs as a worker, which always has a parent port.
const port = parentPort as MessagePort
port.on('message', (texts: string[]) => port.postMessage(reader.read(texts)))
