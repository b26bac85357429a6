// A deterministic synthetic catalogue of CSL-JSON records, for benchmarks at catalogue sizes the
// bundled data does not reach. Same count and seed, same records.
import type { CslItem, CslName } from '../src/catalogue/schema.js'

/** mulberry32: a small seeded generator, enough for varied but repeatable data. */
function random(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const FAMILIES = [
  'Müller',
  'García',
  'Smith',
  'Nakamura',
  'Kowalski',
  'Okafor',
  'Rossi',
  'Dubois',
  'Ivanova',
  'Chen',
  'Silva',
  'Novák',
  'Berg',
  'Papadopoulos',
  'Haddad',
  'Larsen',
]
const GIVENS = [
  'Anna',
  'José',
  'Wei',
  'Fatima',
  'Jan',
  'Olga',
  'Pierre',
  'Aiko',
  'Chidi',
  'Lucía',
  'Mark',
  'Sofia',
  'Tomáš',
  'Ingrid',
  'Ravi',
  'Eleni',
]
const TOPICS = [
  'interleukin-2',
  'melanoma',
  'renal cell carcinoma',
  'T-lymphocytes',
  'natural killer cells',
  'immunotherapy',
  'cytokines',
  'tumour volume',
  'clinical trials',
  'gene expression',
  'protein folding',
  'soil microbiome',
  'coral reefs',
  'graph algorithms',
  'language models',
  'urban heat islands',
  'ocean acidification',
  'dark matter',
  'battery chemistry',
  'antibiotic resistance',
]
const VERBS = ['in', 'and', 'versus', 'after', 'during', 'without', 'beyond']
const FRAMES = [
  'A review of',
  'The role of',
  'New evidence on',
  'Measuring',
  'Towards',
  'Revisiting',
  'On the limits of',
  'A cohort study of',
]
const SENTENCES = [
  'We examine the relation between {a} and {b} across {n} independent cohorts.',
  'Results suggest that {a} modulates {b} more strongly than previously reported.',
  'The benefit of {a} remains modest, with response rates in the {n}% range.',
  'We propose a method that estimates {b} from routine measurements of {a}.',
  'Combination with {b} is being actively investigated.',
]
const JOURNALS = ['Journal of Things', 'Annals of Applied Research', 'Review of Modern Studies', 'Acta Synthetica', 'Letters in Data']
const TYPES = ['article-journal', 'article-journal', 'article-journal', 'chapter', 'paper-conference', 'book', 'report'] as const

/** The records one at a time, so that a catalogue larger than memory can be written out. */
export function* syntheticWorks(count: number, seed = 42): Generator<CslItem> {
  const next = random(seed)
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T
  const integer = (low: number, high: number) => low + Math.floor(next() * (high - low + 1))
  for (let index = 0; index < count; index++) {
    const a = pick(TOPICS)
    const b = pick(TOPICS)
    const year = integer(1980, 2025)
    const author: CslName[] = Array.from({ length: integer(1, 5) }, () => ({ family: pick(FAMILIES), given: pick(GIVENS) }))
    const firstPage = integer(1, 900)
    const abstract = Array.from({ length: integer(2, 5) }, () =>
      pick(SENTENCES)
        .replace('{a}', a)
        .replace('{b}', b)
        .replace('{n}', String(integer(2, 80))),
    ).join(' ')
    yield {
      id: `synthetic-${year}-${index}`,
      type: pick(TYPES),
      title: `${pick(FRAMES)} ${a} ${pick(VERBS)} ${b}`,
      author,
      'container-title': pick(JOURNALS),
      volume: String(integer(1, 60)),
      issue: String(integer(1, 12)),
      page: `${firstPage}-${firstPage + integer(3, 30)}`,
      issued: { 'date-parts': [[year, integer(1, 12), integer(1, 28)]] },
      DOI: `10.5555/synthetic.${seed}.${index}`,
      abstract,
      language: 'en',
    }
  }
}

export function syntheticCatalogue(count: number, seed = 42): CslItem[] {
  return [...syntheticWorks(count, seed)]
}
