// The entry of a CSL render worker thread (see render-pool.ts): it opens the same styles and locales
// as the main thread, keeps its own bounded pool of citeproc engines, and answers one job at a time.
import { parentPort, threadId, workerData, type MessagePort } from 'node:worker_threads'
import { renderBibliography, renderCitation } from '../bibliography.js'
import { EnginePool } from './engines.js'
import { CslLibrary } from './library.js'
import type { RenderWorkerData, WorkerJob, WorkerReply } from './messages.js'

const options = workerData as RenderWorkerData
const library = await CslLibrary.open(options)
const engines = new EnginePool(library, options.engines)
// This module only ever runs as a worker, which always has a parent port.
const port = parentPort as MessagePort

function answer(job: WorkerJob): WorkerReply {
  if (job.kind === 'stats') return { id: job.id, ok: true, stats: { ...engines.stats, threadId } }
  try {
    const request = { style: library.resolveStyle(job.style), locale: library.resolveLocale(job.locale), output: job.output }
    if (job.kind === 'compile') {
      engines.compile(request)
      return { id: job.id, ok: true, text: '' }
    }
    const render = job.kind === 'bibliography' ? renderBibliography : renderCitation
    return { id: job.id, ok: true, text: render(job.entries, request, engines) }
  } catch (error) {
    // citeproc's errors (a style it cannot compile, say) go back as an answer: the worker lives on.
    return { id: job.id, ok: false, message: error instanceof Error ? error.message : String(error) }
  }
}

// Jobs posted while the library was opening wait in the port until this listener starts it.
port.on('message', (job: WorkerJob) => port.postMessage(answer(job)))
