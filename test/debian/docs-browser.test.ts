import { existsSync } from 'node:fs'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ServerProcess } from '../fixtures/server-process.js'
import { seed } from '../fixtures/works.js'
import { launchChromium, screenshot, type Chromium } from './chromium.js'

describe('the interactive docs in a real browser', () => {
  let server: ServerProcess
  let base: string
  let browser: Chromium
  let page: Page

  beforeAll(async () => {
    server = new ServerProcess({ PORT: '0', HOST: '127.0.0.1' })
    base = await server.listening()
    browser = await launchChromium()
    page = await browser.context.newPage()
    await page.goto(`${base}/docs`)
    await page.locator('.opblock').first().waitFor()
  }, 60_000)
  afterAll(async () => {
    await browser?.close()
    server?.child.kill('SIGTERM')
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
    // The GET of the path, not its PUT or DELETE.
    const operation = page.locator('.opblock-get', { has: page.locator('.opblock-summary-path[data-path="/works/{id}"]') })
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

    const path = await screenshot(page, 'docs-try-it-out.png')
    expect(existsSync(path)).toBe(true)
    console.log(`screenshot of /docs after "Try it out": ${path}`)
  })
})
