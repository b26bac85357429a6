import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

const SRC = fileURLToPath(new URL('../src', import.meta.url))

/** The layer of a file: its top-level folder under src/, or the file's own name for the files at the top. */
function layerOf(file: string): string {
  const [first = '', ...rest] = relative(SRC, file).split('/')
  return rest.length === 0 ? first.replace(/\.[jt]s$/, '') : first
}

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name)
    if (entry.isDirectory()) return sourceFiles(path)
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : []
  })
}

/** Every import of a module of src/ by another, as layer → imported layers, read by the TypeScript compiler. */
function layerGraph(): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>()
  for (const file of sourceFiles(SRC)) {
    const from = layerOf(file)
    const edges = graph.get(from) ?? new Set<string>()
    graph.set(from, edges)
    for (const { fileName } of ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles) {
      if (!fileName.startsWith('.')) continue
      const to = layerOf(resolve(dirname(file), fileName))
      if (to !== from) edges.add(to)
    }
  }
  return graph
}

/** A cycle of layers, as the path around it, or undefined when there is none. */
function findCycle(graph: Map<string, Set<string>>): string[] | undefined {
  const done = new Set<string>()
  const visit = (layer: string, path: string[]): string[] | undefined => {
    if (path.includes(layer)) return [...path.slice(path.indexOf(layer)), layer]
    if (done.has(layer)) return undefined
    for (const next of graph.get(layer) ?? []) {
      const cycle = visit(next, [...path, layer])
      if (cycle) return cycle
    }
    done.add(layer)
    return undefined
  }
  for (const layer of graph.keys()) {
    const cycle = visit(layer, [])
    if (cycle) return cycle
  }
  return undefined
}

/**
 * What each folder of src/ may import (besides itself). catalogue ← formats ← citations ← routes and
 * pages (oai/, the OAI-PMH repository, between formats and routes; import/, the importer, above formats); http/ holds Fastify-free protocol
 * helpers that import no other layer; plugins/ are the named Fastify plugins. The files at the top (app, server, config, metrics…) are checked for cycles only.
 */
const ALLOWED: Record<string, readonly string[]> = {
  catalogue: [],
  formats: ['catalogue', 'worker-thread'],
  http: [],
  citations: ['catalogue', 'formats', 'http'],
  oai: ['catalogue', 'formats'],
  import: ['catalogue', 'formats', 'worker-thread'],
  pages: ['catalogue', 'formats', 'http', 'citations'],
  plugins: ['http', 'metrics', 'readiness'],
  routes: ['catalogue', 'formats', 'http', 'citations', 'pages', 'plugins', 'metrics', 'readiness', 'oai', 'import', 'config'],
}

describe('the layers of src/', () => {
  const graph = layerGraph()

  it('import one another without a cycle', () => {
    expect(findCycle(graph)).toBeUndefined()
  })

  it('import only the layers below them', () => {
    for (const [layer, allowed] of Object.entries(ALLOWED)) {
      const forbidden = [...(graph.get(layer) ?? [])].filter((imported) => !allowed.includes(imported))
      expect(forbidden, `${layer}/ imports`).toEqual([])
    }
  })

  it('leave the database client to the catalogue layer', () => {
    const DATABASE_PACKAGES = new Set(['pg', 'pg-copy-streams', 'node-pg-migrate'])
    const importers = sourceFiles(SRC)
      .filter((file) =>
        ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles.some(({ fileName }) => DATABASE_PACKAGES.has(fileName)),
      )
      .map((file) => layerOf(file))
    expect(importers.length).toBeGreaterThan(0)
    expect(importers.filter((layer) => layer !== 'catalogue')).toEqual([])
  })

  it('finds a cycle when there is one', () => {
    const cyclic = new Map([
      ['a', new Set(['b'])],
      ['b', new Set(['c'])],
      ['c', new Set(['a'])],
    ])
    expect(findCycle(cyclic)).toEqual(['a', 'b', 'c', 'a'])
  })
})
