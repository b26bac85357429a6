// Touch-ups to the TeX that citation-js writes, so that BibTeX itself and other readers of .bib
// files (pandoc, bibutils, JabRef) read the same text that @retorquere/bibtex-parser reads.

/** textcomp commands citation-js uses where plain TeX escapes are understood everywhere. */
const PORTABLE_ESCAPES: Readonly<Record<string, string>> = {
  '\\textdollar{}': '\\$',
  '\\textunderscore{}': '\\_',
  '\\textbraceleft{}': '\\{',
  '\\textbraceright{}': '\\}',
}

// An accent whose command is a symbol (\' \` \^ \" \~ \= \.) takes its letter without a space;
// citation-js writes `{\' e}`, which bibutils misreads.
const SPACED_SYMBOL_ACCENT = /\{\\(['`^"~=.]) ([A-Za-z])\}/g

export function portableTex(value: string): string {
  let portable = value
  for (const [command, escape] of Object.entries(PORTABLE_ESCAPES)) portable = portable.replaceAll(command, escape)
  return portable.replace(SPACED_SYMBOL_ACCENT, '{\\$1$2}')
}

// Capitals citation-js writes as TeX: \AE{}, {\' {E}} or {\v Z}, $\Omega$.
const ESCAPED_CAPITAL = /\\[A-Z]{1,2}\{\}|\{\\([^\s{}]+) \{?([A-Z])\}?\}|\$\\[A-Z][A-Za-z]*\$/g

/**
 * BibTeX styles lower-case titles, and a brace group that starts with a backslash is a "special
 * character" they lower-case too. citation-js braces words with ASCII capitals only, so escaped
 * capitals get a second brace level: `{{\AE}}r\o{}` keeps "Ærø" capitalised.
 */
export function protectEscapedCapitals(title: string): string {
  return title.replace(ESCAPED_CAPITAL, (escaped, accent: string | undefined, letter: string | undefined) => {
    if (accent !== undefined && letter !== undefined) return `{{\\${accent}${/^[A-Za-z]/.test(accent) ? ' ' : ''}${letter}}}`
    if (escaped.startsWith('$')) return `{${escaped}}`
    return `{{${escaped.slice(0, -2)}}}`
  })
}
