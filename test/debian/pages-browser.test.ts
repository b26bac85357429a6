import { parse as parseBibtex } from '@retorquere/bibtex-parser'
import { readFileSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createRequire } from 'node:module'
import type { Frame, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ServerProcess } from '../fixtures/server-process.js'
import { seed } from '../fixtures/works.js'
import { artifactPath, launchChromium, screenshot, type Chromium } from './chromium.js'

// The landing page, the catalogue page and the widget in Debian's Chromium, against the real server
// (with Debian's CSL styles, so that official styles such as ieee can be chosen).

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')
const WORK = `/works/${seed.id}`
/** The landing page's own URL, where a browser asking the API URL is sent. */
const PAGE = `/pages/works/${seed.id}`

interface AxeRule {
  id: string
  impact: string | null
  help: string
  nodes: Array<{ target: unknown[] }>
}

interface AxeReport {
  /** Rules that fail. */
  violations: AxeRule[]
  /** Rules axe could not decide (such as contrast over a background it cannot compute): to review. */
  incomplete: AxeRule[]
  /** How many rules pass. */
  passes: number
}

/** Runs axe-core in the page (injected through the DevTools protocol, which CSP does not govern). */
async function runAxe(target: Page | Frame): Promise<AxeReport> {
  await target.evaluate(AXE_SOURCE)
  return target.evaluate(async () => {
    type Results = { violations: AxeRule[]; incomplete: AxeRule[]; passes: unknown[] }
    const results = await (globalThis as unknown as { axe: { run(): Promise<Results> } }).axe.run()
    const brief = ({ id, impact, help, nodes }: AxeRule) => ({ id, impact, help, nodes: nodes.map(({ target }) => ({ target })) })
    return { violations: results.violations.map(brief), incomplete: results.incomplete.map(brief), passes: results.passes.length }
  })
}

const normalised = (text: string) => text.replace(/\s+/g, ' ').trim()

describe('the pages in a real browser', () => {
  let server: ServerProcess
  let base: string
  let browser: Chromium
  let page: Page
  const problems: string[] = []
  const axeResults: Record<string, AxeReport> = {}

  /** axe-core's report on a page, kept for test-artifacts/axe-results.json: nothing serious or critical may fail. */
  async function expectAccessible(name: string, target: Page | Frame): Promise<void> {
    const report = await runAxe(target)
    axeResults[name] = report
    console.log(
      `axe-core, ${name}: ${report.violations.length} violations ${JSON.stringify(report.violations)}; ${report.passes} rules pass; incomplete: ${report.incomplete.map((rule) => rule.id).join(', ') || 'none'}`,
    )
    expect(report.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')).toEqual([])
  }

  async function apiText(style: string): Promise<string> {
    const response = await fetch(`${base}${WORK}/citation?format=bibliography&style=${style}`)
    expect(response.status).toBe(200)
    return normalised(await response.text())
  }

  const citationText = async (target: Page | Frame = page) => normalised(await target.locator('#cite-output').innerText())

  beforeAll(async () => {
    server = new ServerProcess({ PORT: '0', HOST: '127.0.0.1' })
    base = await server.listening()
    browser = await launchChromium({ acceptDownloads: true, permissions: ['clipboard-read', 'clipboard-write'] })
    page = await browser.context.newPage()
    // Every CSP violation and script error is a failure of the page.
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text())
    })
    page.on('pageerror', (error) => problems.push(error.message))
  }, 60_000)
  afterAll(async () => {
    await browser?.close()
    server?.child.kill('SIGTERM')
    await writeFile(await artifactPath('axe-results.json'), `${JSON.stringify(axeResults, null, 2)}\n`)
  })

  it('shows the landing page of the seed with the default citation, without errors under its CSP', async () => {
    await page.goto(`${base}${WORK}`)
    expect(page.url()).toBe(`${base}${PAGE}`)
    expect(await page.locator('h1').first().innerText()).toBe('Interleukin-2 in cancer')
    expect(await citationText()).toBe(await apiText('apa'))
    expect(await page.locator('button.copy').isVisible()).toBe(true)
    console.log(`screenshot of the landing page: ${await screenshot(page, 'landing-page.png')}`)
    expect(problems).toEqual([])
  })

  it('switches style with the style search, in place, to vancouver and to the Debian style ieee', async () => {
    await page.evaluate(() => ((globalThis as unknown as { notReloaded: boolean }).notReloaded = true))
    for (const [typed, style] of [
      ['vancouver', 'vancouver'],
      ['ieee', 'ieee'],
    ] as const) {
      const before = await citationText()
      const input = page.locator('#cite-style')
      await input.fill('')
      await input.pressSequentially(typed, { delay: 20 })
      // The search fills the datalist from GET /styles.
      await expect
        .poll(() =>
          page.locator('#cite-style-options option').evaluateAll((options) => options.map((option) => option.getAttribute('value'))),
        )
        .toContain(style)
      await input.press('Enter')
      await expect.poll(citationText).not.toBe(before)
      expect(await citationText()).toBe(await apiText(style))
      expect(new URL(page.url()).searchParams.get('style')).toBe(style)
    }
    expect(await page.evaluate(() => (globalThis as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true)
    console.log(`screenshot after switching to ieee: ${await screenshot(page, 'landing-page-ieee.png')}`)
    expect(problems).toEqual([])
  })

  it('copies the citation to the clipboard and says so', async () => {
    await page.locator('button.copy').click()
    await expect.poll(() => page.locator('.copy-status').innerText()).toBe('Citation copied to the clipboard.')
    const copied = await page.evaluate<string>('navigator.clipboard.readText()')
    const text = await (await fetch(`${base}${WORK}/citation?format=bibliography&style=ieee`)).text()
    expect(copied).toBe(text.trim())
  })

  it('downloads BibTeX that parses, and is used with the keyboard alone', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'BibTeX' }).click()])
    expect(download.suggestedFilename()).toBe(`${seed.id}.bib`)
    const library = parseBibtex(readFileSync(await download.path(), 'utf8'))
    expect(library.errors).toEqual([])
    expect(library.entries).toHaveLength(1)
    expect(library.entries[0]).toMatchObject({ key: seed.id, type: 'article', fields: { title: 'Interleukin-2 in cancer' } })

    // The first Tab reaches the skip link, which leads to the content.
    await page.goto(`${base}${WORK}`)
    await page.keyboard.press('Tab')
    expect(await page.evaluate('document.activeElement?.textContent')).toBe('Skip to content')
    await page.keyboard.press('Enter')
    expect(await page.evaluate('document.activeElement?.id')).toBe('main')
    // Tab onwards to the style field, type a style and submit with Enter.
    for (let tabs = 0; tabs < 20 && (await page.evaluate('document.activeElement?.id')) !== 'cite-style'; tabs++)
      await page.keyboard.press('Tab')
    expect(await page.evaluate('document.activeElement?.id')).toBe('cite-style')
    await page.keyboard.press('Control+A')
    await page.keyboard.type('vancouver')
    await page.keyboard.press('Enter')
    await expect.poll(citationText).toBe(await apiText('vancouver'))
  })

  it('has no serious or critical accessibility violations (axe-core) on the landing page', async () => {
    await page.goto(`${base}${WORK}`)
    await expectAccessible('landing page', page)
  })

  it('searches the catalogue page and leads to the landing page; axe-core finds nothing serious', async () => {
    await page.goto(`${base}/`)
    await page.getByLabel('Search titles, abstracts and names').fill('interleukin melanoma')
    await page.getByRole('button', { name: 'Search' }).click()
    await page.waitForURL(/query=interleukin\+melanoma/)
    const results = page.locator('ol.works a')
    expect(await results.allInnerTexts()).toEqual(['Interleukin-2 in cancer'])
    console.log(`screenshot of the catalogue page: ${await screenshot(page, 'catalogue-page.png')}`)
    await expectAccessible('catalogue page', page)
    await results.first().click()
    await page.waitForURL(`${base}${PAGE}`)
    expect(await page.locator('h1').first().innerText()).toBe('Interleukin-2 in cancer')
  })

  describe('the widget on a page of another origin', () => {
    let host: Server
    let hostUrl: string

    beforeAll(async () => {
      host = createServer((_request, response) => {
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        response.end(`<!doctype html><html lang="en"><head><title>A host page</title></head><body>
<h1>A blog post</h1><p>Cite the article this post discusses:</p>
<cite-this work="${seed.id}" citation-style="vancouver"></cite-this>
<p>The end of the post.</p>
<script src="${base}/widget.js"></script></body></html>`)
      })
      await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve))
      hostUrl = `http://127.0.0.1:${(host.address() as AddressInfo).port}/`
    })
    afterAll(() => {
      host.closeAllConnections()
      host.close()
    })

    it('shows the citation in an iframe sized to its content, and puts no record text into the host page', async () => {
      expect(new URL(hostUrl).origin).not.toBe(new URL(base).origin)
      const hostPage = await browser.context.newPage()
      await hostPage.goto(hostUrl)
      await expect.poll(() => hostPage.frames().some((frame) => frame.url().includes('/widget'))).toBe(true)
      const frame = hostPage.frames().find((candidate) => candidate.url().includes('/widget')) as Frame
      expect(new URL(frame.url()).origin).toBe(new URL(base).origin)
      await frame.locator('#cite-output .csl-entry').waitFor()
      expect(await citationText(frame)).toBe(await apiText('vancouver'))

      // Sized by the height the widget posts: the iframe is as tall as its document.
      const iframe = await frame.frameElement()
      const contentHeight = await frame.evaluate<number>('document.documentElement.scrollHeight')
      await expect.poll(async () => Math.round((await iframe.boundingBox())?.height ?? 0)).toBe(contentHeight)
      expect(contentHeight).toBeGreaterThan(200)
      // Messages from anyone but the widget's frame are ignored.
      await hostPage.evaluate("window.postMessage({ type: 'citeserve:height', height: 5000 }, '*')")
      await hostPage.waitForTimeout(200)
      expect(Math.round((await iframe.boundingBox())?.height ?? 0)).toBe(contentHeight)

      // The box works inside the frame too, and the frame follows its new height.
      await frame.locator('#cite-style').fill('ieee')
      await frame.locator('#cite-style').press('Enter')
      await expect.poll(() => citationText(frame)).toBe(await apiText('ieee'))
      await expect
        .poll(
          async () =>
            Math.round((await iframe.boundingBox())?.height ?? 0) - (await frame.evaluate<number>('document.documentElement.scrollHeight')),
        )
        .toBe(0)

      const hostHtml = await hostPage.evaluate<string>('document.documentElement.outerHTML')
      for (const text of ['Interleukin', 'Review', '273', 'csl-entry']) expect(hostHtml).not.toContain(text)
      expect(await hostPage.evaluate("document.querySelector('cite-this').shadowRoot")).toBeNull()
      expect(await iframe.getAttribute('sandbox')).toBe(
        'allow-scripts allow-same-origin allow-forms allow-downloads allow-popups allow-popups-to-escape-sandbox',
      )
      console.log(`screenshot of the host page with the widget: ${await screenshot(hostPage, 'host-page-widget.png')}`)

      await expectAccessible('widget', frame)
      await hostPage.close()
    })
  })

  describe('without JavaScript', () => {
    let noScript: Chromium
    let plain: Page

    beforeAll(async () => {
      noScript = await launchChromium({ javaScriptEnabled: false })
      plain = await noScript.context.newPage()
    }, 60_000)
    afterAll(() => noScript?.close())

    it('shows the default citation and the download links, and changes style with the form', async () => {
      await plain.goto(`${base}${WORK}`)
      expect(await citationText(plain)).toBe(await apiText('apa'))
      expect(await plain.locator('ul.downloads a').allInnerTexts()).toEqual(['BibTeX', 'RIS', 'EndNote', 'CSL-JSON'])
      expect(await plain.locator('button.copy').isVisible()).toBe(false)

      await plain.locator('#cite-style').fill('vancouver')
      await plain.getByRole('button', { name: 'Show citation' }).click()
      await plain.waitForURL(/style=vancouver/)
      expect(await citationText(plain)).toBe(await apiText('vancouver'))

      // A misspelt style: the page says so and links the closest ones.
      await plain.locator('#cite-style').fill('vancuver')
      await plain.getByRole('button', { name: 'Show citation' }).click()
      await plain.waitForURL(/style=vancuver/)
      expect(await plain.locator('.cite-error').innerText()).toContain('The style “vancuver” is not available.')
      await plain.locator('.cite-error').getByRole('link', { name: 'vancouver', exact: true }).click()
      await plain.waitForURL(/style=vancouver&/)
      expect(await citationText(plain)).toBe(await apiText('vancouver'))
    })
  })
})
