/** A rendering option (format, style, locale, output) that names nothing the service has. */
export class UnknownOptionError extends Error {
  constructor(
    readonly option: string,
    readonly value: string,
    readonly allowed: readonly string[],
  ) {
    super(`unknown ${option} "${value}"; allowed: ${allowed.join(', ')}`)
    this.name = 'UnknownOptionError'
  }
}
