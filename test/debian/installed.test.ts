import { existsSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { DEBIAN_CSL_DIRECTORY } from '../../src/config.js'
import { CHROMIUM } from './chromium.js'
import { installed } from './tools.js'

// The Debian suite fails, never skips, when what it tests against is missing: `.ci/run` installs
// these packages, and a machine without them has not run the suite.
const COMMANDS = ['pandoc', 'ris2xml', 'bib2xml', 'end2xml', 'xml2bib', 'biber', 'nginx', 'pdflatex', 'bibtex', 'pdftotext', 'xmllint', 'rapper', 'catmandu', 'perl', 'docker-compose']

describe('the Debian packages the suite tests against', () => {
  it.each(COMMANDS)('%s is installed', (command) => {
    expect(installed(command), `${command} is missing: run the apt-get line of .ci/run`).toBe(true)
  })

  it('Chromium and the official CSL styles and locales are installed', () => {
    expect(existsSync(CHROMIUM), `${CHROMIUM} is missing (apt-get install chromium)`).toBe(true)
    expect(existsSync(`${DEBIAN_CSL_DIRECTORY}/styles/ieee.csl`), 'apt-get install citation-style-language-styles').toBe(true)
    expect(existsSync(`${DEBIAN_CSL_DIRECTORY}/locales/locales-en-GB.xml`), 'apt-get install citation-style-language-locales').toBe(true)
  })
})
