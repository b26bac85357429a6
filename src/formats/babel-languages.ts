// biblatex names the language of an entry (`langid`, for hyphenation and localisation) by its babel
// or polyglossia name. No maintained library maps BCP 47 tags to those names, so this table does,
// with the variants babel distinguishes; it follows the table of Zotero's BibLaTeX export.

const BY_LANGUAGE: Readonly<Record<string, string>> = {
  af: 'afrikaans',
  ar: 'arabic',
  bg: 'bulgarian',
  br: 'breton',
  ca: 'catalan',
  cs: 'czech',
  cy: 'welsh',
  da: 'danish',
  de: 'german',
  el: 'greek',
  en: 'english',
  eo: 'esperanto',
  es: 'spanish',
  et: 'estonian',
  eu: 'basque',
  fa: 'farsi',
  fi: 'finnish',
  fr: 'french',
  ga: 'irish',
  gd: 'scottish',
  gl: 'galician',
  he: 'hebrew',
  hi: 'hindi',
  hr: 'croatian',
  hu: 'magyar',
  id: 'indonesian',
  is: 'icelandic',
  it: 'italian',
  ja: 'japanese',
  la: 'latin',
  lt: 'lithuanian',
  lv: 'latvian',
  mn: 'mongolian',
  nb: 'norsk',
  nl: 'dutch',
  nn: 'nynorsk',
  no: 'norsk',
  pl: 'polish',
  pt: 'portuguese',
  ro: 'romanian',
  ru: 'russian',
  sk: 'slovak',
  sl: 'slovene',
  sr: 'serbian',
  sv: 'swedish',
  th: 'thai',
  tr: 'turkish',
  uk: 'ukrainian',
  vi: 'vietnamese',
}

const BY_REGION: Readonly<Record<string, string>> = {
  'en-US': 'american',
  'en-GB': 'british',
  'en-CA': 'canadian',
  'en-AU': 'australian',
  'en-NZ': 'newzealand',
  'de-AT': 'austrian',
  'de-CH': 'swissgerman',
  'fr-CA': 'canadien',
  'pt-BR': 'brazilian',
}

/** The babel name of a record's language (`en-GB` → `british`), or undefined when babel has none. */
export function babelLanguage(language: string | undefined): string | undefined {
  if (language === undefined) return undefined
  let locale: Intl.Locale
  try {
    locale = new Intl.Locale(language.trim())
  } catch {
    return undefined
  }
  return BY_REGION[`${locale.language}-${locale.region ?? ''}`] ?? BY_LANGUAGE[locale.language]
}
