import { execFileSync, spawnSync } from 'node:child_process'
import { worksOf } from '../../src/catalogue/catalogue.js'
import type { CslItem } from '../../src/catalogue/schema.js'
import { renderPlain } from '../fixtures/csl.js'

/** Whether a Debian tool is installed (test/debian/installed.test.ts fails for each one missing). */
export function installed(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`]).status === 0
}

/** Runs a tool with the text on standard input and returns its standard output. */
export function run(command: string, args: readonly string[], input: string): string {
  return execFileSync(command, args, { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] })
}

export function render(format: string, ...items: CslItem[]): string {
  return renderPlain(format, worksOf(items))
}
