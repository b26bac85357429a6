import { closeSync, openSync, readFileSync, readSync } from 'node:fs'
import { open, readdir } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { UnknownOptionError } from '../errors.js'
import { PRIMARY_DIALECTS } from './primary-dialects.js'
import { StyleSearch } from './style-search.js'
import { NameIndex } from './suggest.js'

/** A style ready for citeproc: independent, with its XML read on demand. */
export interface CslStyle {
  readonly id: string
  /** The locale the style asks for when the client names none. */
  readonly defaultLocale: string | undefined
  xml(): string
}

export interface CslLocale {
  readonly id: string
  xml(): string
}

export interface StyleSummary {
  readonly id: string
  readonly title: string
  /** author-date, numeric, note, label or author, as the style's info says. */
  readonly format: string | null
  /** The independent style it renders with, for dependent styles. */
  readonly parent: string | null
  /** Other names it can be asked for by (`chicago` for chicago-author-date). */
  readonly aliases: readonly string[]
}

/** A directory the library was told to read, and what it found there. */
export interface CslSource {
  readonly kind: 'styles' | 'locales'
  readonly directory: string
  /** Styles or locales found; undefined when the directory does not exist or cannot be read. */
  readonly found: number | undefined
}

/** The Debian packages of the official styles and locales, for messages that say how to get them. */
export const DEBIAN_CSL_PACKAGES = { styles: 'citation-style-language-styles', locales: 'citation-style-language-locales' } as const

/**
 * The styles and locales bundled with citation-js, id to XML. They are handed in rather than imported,
 * so that the render workers, which open a library of their own, never load citation-js.
 */
export interface BuiltinCsl {
  readonly styles: ReadonlyMap<string, string>
  readonly locales: ReadonlyMap<string, string>
}

export interface CslLibraryOptions {
  readonly builtins: BuiltinCsl
  /** Directories of .csl files, each with an optional `dependent/` subdirectory. */
  readonly styleDirectories: readonly string[]
  /** Directories of `locales-xx-XX.xml` files. */
  readonly localeDirectories: readonly string[]
}

/** Names people use for the most common styles. */
export const STYLE_ALIASES: Readonly<Record<string, string>> = {
  mla: 'modern-language-association',
  harvard: 'harvard-cite-them-right',
  harvard1: 'harvard-cite-them-right',
  chicago: 'chicago-author-date',
  ama: 'american-medical-association',
  ieee: 'ieee',
}

/** Where the official styles and locales come from, for messages about a missing one. */
const INSTALL_HINT = {
  styles: `apt-get install ${DEBIAN_CSL_PACKAGES.styles}, or set CSL_STYLE_DIRS to a directory of .csl files`,
  locales: `apt-get install ${DEBIAN_CSL_PACKAGES.locales}, or set CSL_LOCALE_DIRS to a directory of locales-*.xml files`,
} as const

// An info block sits at the top of a style; this much of the file always holds it.
const HEAD_BYTES = 16_384

function readHead(path: string): string {
  const descriptor = openSync(path, 'r')
  try {
    const buffer = Buffer.alloc(HEAD_BYTES)
    const length = readSync(descriptor, buffer, 0, HEAD_BYTES, 0)
    return buffer.toString('utf8', 0, length)
  } finally {
    closeSync(descriptor)
  }
}

async function readHeadAsync(path: string): Promise<string> {
  const file = await open(path, 'r')
  try {
    const { buffer, bytesRead } = await file.read(Buffer.alloc(HEAD_BYTES), 0, HEAD_BYTES, 0)
    return buffer.toString('utf8', 0, bytesRead)
  } finally {
    await file.close()
  }
}

// Reading ten thousand style heads one after another would hold the event loop for seconds.
const PARALLEL_READS = 32

const XML_ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }

function decodeXml(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|apos);/g, (_, entity: string) => XML_ENTITIES[entity] as string)
}

interface StyleHead {
  readonly title: string
  readonly format: string | null
  readonly parent: string | null
  readonly defaultLocale: string | undefined
}

function parseHead(head: string, id: string): StyleHead {
  const parent =
    /<link[^>]*href="[^"]*\/([^/"]+)"[^>]*rel="independent-parent"|<link[^>]*rel="independent-parent"[^>]*href="[^"]*\/([^/"]+)"/.exec(head)
  return {
    title: decodeXml(/<title>([^<]*)<\/title>/.exec(head)?.[1] ?? id),
    format: /<category[^>]*citation-format="([^"]+)"/.exec(head)?.[1] ?? null,
    parent: parent ? ((parent[1] ?? parent[2]) as string) : null,
    defaultLocale: /<style[^>]*default-locale="([^"]+)"/.exec(head)?.[1],
  }
}

/** The matching files of a directory; undefined when it is absent or unreadable, which the start log reports. */
async function filesIn(directory: string, pattern: RegExp): Promise<string[] | undefined> {
  try {
    const names = await readdir(directory)
    return names.filter((name) => pattern.test(name)).map((name) => join(directory, name))
  } catch {
    return undefined
  }
}

const LANGUAGE_NAMES = new Intl.DisplayNames(['en'], { type: 'language' })

/** A locale's names in English and in its own language, lower case ("british english", "deutsch (deutschland)"). */
function localeNames(id: string): string[] {
  try {
    return [LANGUAGE_NAMES.of(id), new Intl.DisplayNames([id], { type: 'language' }).of(id)].map((name) => (name ?? '').toLowerCase())
  } catch {
    return []
  }
}

/**
 * The CSL styles and locales the service can render with: citation-js's built-ins, and every style
 * and locale in the configured directories (by default Debian's citation-style-language packages).
 * Built-ins win over files with the same id, so their output does not depend on what is installed.
 */
export class CslLibrary {
  private readonly heads = new Map<string, StyleHead>()
  private summaries: Promise<StyleSummary[]> | undefined
  private search: Promise<StyleSearch> | undefined
  // Built on the first unknown name, once per library: each suggestion is then cheap.
  private styleNames: NameIndex | undefined
  private localeNames: { readonly index: NameIndex; readonly names: ReadonlyMap<string, readonly string[]> } | undefined

  /** Every style id, built-in ones first. */
  readonly styleIds: readonly string[]
  /** Every locale id, sorted. */
  readonly localeIds: readonly string[]
  /** The names of the styles people ask for most (the built-ins and the aliases), to offer before any search. */
  readonly commonStyleNames: readonly string[]
  /** The aliases whose style is installed, alias to style id. */
  readonly aliases: ReadonlyMap<string, string>

  // The ids are listed once: resolving a style and locale is on the path of every citation request.
  private constructor(
    private readonly builtins: BuiltinCsl,
    private readonly styleFiles: ReadonlyMap<string, string>,
    private readonly localeFiles: ReadonlyMap<string, string>,
    /** Each configured directory and how many files it gave, for the start log. */
    readonly sources: readonly CslSource[],
  ) {
    this.styleIds = [...new Set([...builtins.styles.keys(), ...styleFiles.keys()])]
    this.localeIds = [...new Set([...builtins.locales.keys(), ...localeFiles.keys()])].sort()
    this.aliases = new Map(Object.entries(STYLE_ALIASES).filter(([, id]) => builtins.styles.has(id) || styleFiles.has(id)))
    this.commonStyleNames = [...new Set([...builtins.styles.keys(), ...this.aliases.keys()])]
  }

  static async open({ builtins, styleDirectories, localeDirectories }: CslLibraryOptions): Promise<CslLibrary> {
    const sources: CslSource[] = []
    const styleFiles = new Map<string, string>()
    for (const directory of styleDirectories) {
      const independent = await filesIn(directory, /\.csl$/)
      const paths = [...(independent ?? []), ...((await filesIn(join(directory, 'dependent'), /\.csl$/)) ?? [])]
      for (const path of paths) {
        const id = basename(path, '.csl')
        if (!styleFiles.has(id)) styleFiles.set(id, path)
      }
      sources.push({ kind: 'styles', directory, found: independent && paths.length })
    }
    const localeFiles = new Map<string, string>()
    for (const directory of localeDirectories) {
      const paths = await filesIn(directory, /^locales-.+\.xml$/)
      for (const path of paths ?? []) {
        const id = basename(path, '.xml').slice('locales-'.length)
        if (!localeFiles.has(id)) localeFiles.set(id, path)
      }
      sources.push({ kind: 'locales', directory, found: paths?.length })
    }
    return new CslLibrary(builtins, styleFiles, localeFiles, sources)
  }

  /** @throws UnknownOptionError naming the closest ids, or the package that provides an official style */
  resolveStyle(name: string): CslStyle {
    const wanted = name.trim().toLowerCase()
    const id = STYLE_ALIASES[wanted] ?? wanted
    const builtin = this.builtins.styles.get(id)
    if (builtin !== undefined) return { id, defaultLocale: undefined, xml: () => builtin }
    const path = this.styleFiles.get(id)
    if (path === undefined && STYLE_ALIASES[wanted] !== undefined) {
      // An alias names an official style: say where it comes from rather than offering look-alikes.
      throw new UnknownOptionError('style', name, [], `${id} is an official CSL style that is not installed: ${INSTALL_HINT.styles}`)
    }
    if (path === undefined)
      throw new UnknownOptionError(
        'style',
        name,
        (this.styleNames ??= new NameIndex([...this.aliases.keys(), ...this.styleIds])).closest(wanted),
        this.styleFiles.size === 0 ? `only the built-in styles are installed, for the official ones: ${INSTALL_HINT.styles}` : undefined,
      )
    const head = this.headOf(id, path)
    if (head.parent === null) return { id, defaultLocale: head.defaultLocale, xml: () => readFileSync(path, 'utf8') }
    // A dependent style is only a title and a link: it renders as its parent, in its own locale.
    const parent = this.resolveStyle(head.parent)
    return { id, defaultLocale: head.defaultLocale ?? parent.defaultLocale, xml: () => parent.xml() }
  }

  /**
   * Matches a BCP 47 tag to a locale: exactly (any case, "_" or "-"), or a bare language ("de", "pt")
   * to its primary dialect. @throws UnknownOptionError naming the closest ids
   */
  resolveLocale(tag: string): CslLocale {
    const wanted = tag.trim().replace(/_/g, '-').toLowerCase()
    const ids = this.localeIds
    const id =
      ids.find((candidate) => candidate.toLowerCase() === wanted) ?? ids.find((candidate) => candidate === PRIMARY_DIALECTS[wanted])
    if (id === undefined) throw new UnknownOptionError('locale', tag, this.closestLocales(wanted))
    const builtin = this.builtins.locales.get(id)
    const path = this.localeFiles.get(id)
    return { id, xml: () => builtin ?? readFileSync(path as string, 'utf8') }
  }

  /**
   * The locale ids closest to a tag or a language name: by name ("english" gives en-US, en-GB), the
   * language's primary dialect first, then by spelling.
   */
  private closestLocales(wanted: string): string[] {
    const { index, names } = (this.localeNames ??= {
      index: new NameIndex(this.localeIds),
      names: new Map(this.localeIds.map((id) => [id, localeNames(id)])),
    })
    const byName = wanted.length < 3 ? [] : this.localeIds.filter((id) => names.get(id)?.some((name) => name.includes(wanted)))
    const primary = new Set(Object.values(PRIMARY_DIALECTS))
    byName.sort((a, b) => Number(primary.has(b)) - Number(primary.has(a)))
    return [...new Set([...byName, ...index.closest(wanted)])].slice(0, 5)
  }

  /** Titles and formats of every style, read from the files once, on first use, without blocking. */
  styleSummaries(): Promise<StyleSummary[]> {
    this.summaries ??= this.readSummaries()
    return this.summaries
  }

  /** The search over the styles' ids, aliases and titles, built once, on first use. */
  styleSearch(): Promise<StyleSearch> {
    this.search ??= this.styleSummaries().then((summaries) => new StyleSearch(summaries))
    return this.search
  }

  private async readSummaries(): Promise<StyleSummary[]> {
    const ids = this.styleIds
    const summaries: StyleSummary[] = []
    for (let start = 0; start < ids.length; start += PARALLEL_READS) {
      const batch = await Promise.all(
        ids.slice(start, start + PARALLEL_READS).map(async (id) => {
          const head =
            this.heads.get(id) ?? parseHead(this.builtins.styles.get(id) ?? (await readHeadAsync(this.styleFiles.get(id) as string)), id)
          const aliases = [...this.aliases].filter(([alias, target]) => target === id && alias !== id).map(([alias]) => alias)
          return { id, title: head.title, format: head.format, parent: head.parent, aliases }
        }),
      )
      summaries.push(...batch)
    }
    return summaries
  }

  private headOf(id: string, path: string): StyleHead {
    let head = this.heads.get(id)
    if (head === undefined) {
      head = parseHead(readHead(path), id)
      this.heads.set(id, head)
    }
    return head
  }
}
