import type { CslItem } from '../catalogue/schema.js'

// What the pages call a CSL item type, in English (the pages' language).
const TYPE_LABELS: Readonly<Record<CslItem['type'], string>> = {
  article: 'Preprint',
  'article-journal': 'Journal article',
  'article-magazine': 'Magazine article',
  'article-newspaper': 'Newspaper article',
  bill: 'Bill',
  book: 'Book',
  broadcast: 'Broadcast',
  chapter: 'Book chapter',
  classic: 'Classic work',
  collection: 'Collection',
  dataset: 'Dataset',
  document: 'Document',
  entry: 'Entry',
  'entry-dictionary': 'Dictionary entry',
  'entry-encyclopedia': 'Encyclopedia entry',
  event: 'Event',
  figure: 'Figure',
  graphic: 'Graphic',
  hearing: 'Hearing',
  interview: 'Interview',
  legal_case: 'Legal case',
  legislation: 'Legislation',
  manuscript: 'Manuscript',
  map: 'Map',
  motion_picture: 'Film',
  musical_score: 'Musical score',
  pamphlet: 'Pamphlet',
  'paper-conference': 'Conference paper',
  patent: 'Patent',
  performance: 'Performance',
  periodical: 'Periodical',
  personal_communication: 'Personal communication',
  post: 'Post',
  'post-weblog': 'Blog post',
  regulation: 'Regulation',
  report: 'Report',
  review: 'Review',
  'review-book': 'Book review',
  software: 'Software',
  song: 'Recording',
  speech: 'Speech',
  standard: 'Standard',
  thesis: 'Thesis',
  treaty: 'Treaty',
  webpage: 'Web page',
}

export function typeLabel(type: CslItem['type']): string {
  return TYPE_LABELS[type]
}

const LANGUAGE_NAMES = new Intl.DisplayNames('en', { type: 'language', fallback: 'code' })

/** A language tag as its English name ("en-GB" → "British English"), or the text as given. */
export function languageLabel(language: string): string {
  try {
    return LANGUAGE_NAMES.of(language) ?? language
  } catch {
    return language
  }
}
