import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ServerProcess } from '../fixtures/server-process.js'
import { seed } from '../fixtures/works.js'

// Debian's Chromium, driven by playwright-core: no browser is ever downloaded.
const CHROMIUM = '/usr/bin/chromium'
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

describe.skipIf(!existsSync(CHROMIUM))('the interactive docs in a real browser', () => {
  let server: ServerProcess
  let base: string
  let profile: string
  let browser: BrowserContext
  let page: Page

  beforeAll(async () => {
    server = new ServerProcess({ PORT: '0', HOST: '127.0.0.1' })
    base = await server.listening()
    // A fresh profile each run (playwright passes it to Chromium as --user-data-dir).
    profile = await mkdtemp(join(tmpdir(), 'citeserve-chromium-'))
    browser = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: CHROMIUM_FLAGS })
    page = await browser.newPage()
    await page.goto(`${base}/docs`)
    await page.locator('.opblock').first().waitFor()
  }, 60_000)
  afterAll(async () => {
    await browser?.close()
    server?.child.kill('SIGTERM')
    await rm(profile, { recursive: true, force: true })
  })

  it('lists every operation of the OpenAPI document', async () => {
    const document = (await (await fetch(`${base}/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> }
    const documented = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
    )
    const listed = await page
      .locator('.opblock')
      .evaluateAll((blocks) =>
        blocks.map(
          (block) =>
            `${block.querySelector('.opblock-summary-method')?.textContent} ${block.querySelector('.opblock-summary-path')?.getAttribute('data-path')}`,
        ),
      )
    expect(documented.length).toBeGreaterThanOrEqual(6)
    expect(listed.sort()).toEqual(documented.sort())
  })

  it('runs "Try it out" on GET /works/{id} for the bundled record and shows the 200 answer', async () => {
    const operation = page.locator('.opblock', { has: page.locator('.opblock-summary-path[data-path="/works/{id}"]') })
    await operation.locator('.opblock-summary').click()
    await operation.getByRole('button', { name: 'Try it out' }).click()
    await operation.locator('tr[data-param-name="id"] input').fill(String(seed.id))
    await operation.getByRole('button', { name: 'Execute' }).click()

    const live = operation.locator('.live-responses-table')
    await live.locator('.response-col_status').nth(1).waitFor()
    expect(await live.locator('.response-col_status').allTextContents()).toEqual(['Code', '200'])
    const body = JSON.parse((await live.locator('.response-col_description pre').first().textContent()) ?? '') as {
      message: { id: string; title: string }
    }
    expect(body.message).toMatchObject({ id: seed.id, title: 'Interleukin-2 in cancer' })
    expect(await operation.locator('.request-url pre').textContent()).toBe(`${base}/works/${seed.id}`)

    await mkdir(ARTIFACTS, { recursive: true })
    const screenshot = join(ARTIFACTS, 'docs-try-it-out.png')
    await page.screenshot({ path: screenshot, fullPage: true })
    expect(existsSync(screenshot)).toBe(true)
    console.log(`screenshot of /docs after "Try it out": ${screenshot}`)
  })
})
