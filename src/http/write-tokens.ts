import { createHash, timingSafeEqual } from 'node:crypto'
import { readFileSync } from 'node:fs'

/** A write token as configured: its name (what the log shows) and the SHA-256 digest of the token. */
interface NamedDigest {
  readonly name: string
  readonly digest: Buffer
}

/** The name of the write tokens' security scheme in the OpenAPI document. */
export const WRITE_SECURITY_SCHEME = 'writeToken'

/** Why the tokens file cannot be used, naming the file and the line. */
export class WriteTokensError extends Error {
  override name = 'WriteTokensError'
}

const LINE = /^(\S+)\s+(\S+)$/
const NAME = /^[A-Za-z0-9._@-]{1,64}$/
const SHA256_HEX = /^[0-9a-fA-F]{64}$/

/** The digest a token is compared by: only digests are configured, and they have a fixed length for timingSafeEqual. */
function digestOf(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest()
}

/**
 * The tokens that may write, by name. None configured means writes are off. Only the SHA-256 digests
 * of the tokens are kept, so neither the file nor the process holds a token.
 */
export class WriteTokens {
  private constructor(private readonly tokens: readonly NamedDigest[]) {}

  static readonly none = new WriteTokens([])

  /** Parses the text of a tokens file: `name sha256-hex` a line; blank lines and `#` comments are skipped. */
  static parse(file: string, text: string): WriteTokens {
    const tokens: NamedDigest[] = []
    const lines = text.split(/\r?\n/)
    for (const [index, raw] of lines.entries()) {
      const line = raw.trim()
      if (line === '' || line.startsWith('#')) continue
      const where = `${file} line ${index + 1}`
      const match = LINE.exec(line)
      if (!match) throw new WriteTokensError(`${where}: expected "name sha256-hex", two fields separated by spaces`)
      const [, name = '', hex = ''] = match
      if (!NAME.test(name)) throw new WriteTokensError(`${where}: the name must be 1 to 64 letters, digits, ".", "_", "@" or "-"`)
      if (!SHA256_HEX.test(hex)) {
        throw new WriteTokensError(`${where}: "${name}" needs the SHA-256 of its token as 64 hexadecimal digits, not the token itself`)
      }
      const digest = Buffer.from(hex, 'hex')
      const clash = tokens.find((token) => token.name === name || token.digest.equals(digest))
      if (clash) throw new WriteTokensError(`${where}: "${name}" repeats the ${clash.name === name ? 'name' : 'hash'} of "${clash.name}"`)
      tokens.push({ name, digest })
    }
    return new WriteTokens(tokens)
  }

  /** Reads the tokens file, or none when no file is configured. */
  static load(file: string | undefined): WriteTokens {
    if (file === undefined) return WriteTokens.none
    let text: string
    try {
      text = readFileSync(file, 'utf8')
    } catch (error) {
      throw new WriteTokensError(`${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`)
    }
    return WriteTokens.parse(file, text)
  }

  get enabled(): boolean {
    return this.tokens.length > 0
  }

  get names(): readonly string[] {
    return this.tokens.map((token) => token.name)
  }

  /**
   * The name of the token presented, or undefined. Every configured digest is compared, in constant
   * time, so the time taken says nothing about how close a guess came or which token it matched.
   */
  nameOf(token: string): string | undefined {
    const presented = digestOf(token)
    let found: string | undefined
    for (const { name, digest } of this.tokens) if (timingSafeEqual(presented, digest) && found === undefined) found = name
    return found
  }
}

/** The token of an `Authorization: Bearer <token>` header (RFC 6750), or undefined for another scheme or none. */
export function bearerToken(authorization: string | undefined): string | undefined {
  const match = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(authorization ?? '')
  return match?.[1]
}
