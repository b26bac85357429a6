// RIS and EndNote tagged files are line-based: a value that contained a line break could end its
// record early and forge tags (`ER  - `, `%A`), so every kind of line break or other control character
// becomes a space.
const LINE_BREAKS_AND_CONTROLS = /[\p{Cc}\u2028\u2029]+/gu

export function oneLine(value: string | number): string {
  return String(value).replace(LINE_BREAKS_AND_CONTROLS, ' ').trim()
}
