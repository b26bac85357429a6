/** A rendering option (format, style, locale, output) that names nothing the service has. */
export class UnknownOptionError extends Error {
  constructor(
    readonly option: string,
    readonly value: string,
    /** The ids closest to `value`, best first; perhaps none. */
    readonly closest: readonly string[],
    /** What else to do, such as which package provides it. */
    hint?: string,
  ) {
    super(
      `unknown ${option} "${value}"${closest.length > 0 ? `; closest: ${closest.join(', ')}` : ''}${hint !== undefined ? ` (${hint})` : ''}`,
    )
    this.name = 'UnknownOptionError'
  }
}
