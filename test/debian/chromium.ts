import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type BrowserContext, type Page } from 'playwright-core'

// Debian's Chromium, driven by playwright-core: no browser is ever downloaded.
export const CHROMIUM = '/usr/bin/chromium'
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]
const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url))

export interface Chromium {
  readonly context: BrowserContext
  close(): Promise<void>
}

type ContextOptions = Parameters<typeof chromium.launchPersistentContext>[1]

/** Chromium with a fresh profile (playwright passes it as --user-data-dir), removed on close. */
export async function launchChromium(options: ContextOptions = {}): Promise<Chromium> {
  const profile = await mkdtemp(join(tmpdir(), 'citeserve-chromium-'))
  const context = await chromium.launchPersistentContext(profile, { ...options, executablePath: CHROMIUM, args: CHROMIUM_FLAGS })
  return {
    context,
    close: async () => {
      await context.close()
      await rm(profile, { recursive: true, force: true })
    },
  }
}

/** Saves a full-page screenshot to test-artifacts/ and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(ARTIFACTS, { recursive: true })
  const path = join(ARTIFACTS, name)
  await page.screenshot({ path, fullPage: true })
  return path
}

/** Writes a file to test-artifacts/ and returns its path. */
export async function artifactPath(name: string): Promise<string> {
  await mkdir(ARTIFACTS, { recursive: true })
  return join(ARTIFACTS, name)
}
