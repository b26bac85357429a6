import fc from 'fast-check'

// Arbitrary hostile requests for the abuse tests: paths, ids and DOIs with special characters and
// encoded slashes, query strings, Accept headers (malformed, huge, hundreds of ranges, odd q-values),
// conditional and encoding headers, and methods.

export interface HostileRequest {
  readonly method: string
  readonly url: string
  readonly headers: Record<string, string>
}

const PIECES = [
  '<',
  '>',
  ';',
  '(',
  ')',
  '[',
  ']',
  '%23',
  '%25',
  '%2F',
  '%2f',
  '%3C',
  '%3E',
  '%20',
  '%ZZ',
  '%',
  '%E0%A4%A',
  '%00',
  '%FF',
  '%C3%A9',
  '%F0%9F%92%A5',
  '/',
  '..',
  '.',
  '~',
  ':',
  '@',
  '!',
  '$',
  '*',
  '+',
  ',',
  '=',
  "'",
  '10.1234',
  'doi:',
  'https%3A%2F%2Fdoi.org%2F',
  'interleukin-2-in-cancer-2005',
  'berg-2020-fish',
  '10.1234/ABC.def',
  '10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-0',
]

/** Printable ASCII only: what a header value can hold. */
const ascii = (maxLength: number) =>
  fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)), maxLength })

const piece = fc.oneof(
  fc.constantFrom(...PIECES),
  ascii(6).map((text) => encodeURIComponent(text)),
  ascii(4).filter((text) => !/[\s#?]/.test(text)),
)
const id = fc.array(piece, { minLength: 1, maxLength: 8 }).map((pieces) => pieces.join(''))

const KNOWN_WORKS = [
  '/works/interleukin-2-in-cancer-2005',
  '/works/10.1234/ABC.def',
  '/works/10.1234%2Fabc.def',
  '/works/doi:10.1234%2FABC.DEF',
]

const path = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(fc.constantFrom(...KNOWN_WORKS), fc.constantFrom('', '/citation')).map(([work, rest]) => work + rest) },
  id.map((value) => `/works/${value}`),
  id.map((value) => `/works/${value}/citation`),
  fc.tuple(id, id).map(([a, b]) => `/works/${a}/${b}`),
  id.map((value) => `/${value}`),
  fc.constantFrom(
    '/works',
    '/works/',
    '//works',
    '/works//citation',
    '/citations',
    '/styles',
    '/locales',
    '/health/live',
    '/health/ready',
    '/metrics',
    '/openapi.json',
    '/docs/',
    '/docs',
    '/',
  ),
)

const KEYS = [
  'query',
  'rows',
  'offset',
  'cursor',
  'format',
  'style',
  'locale',
  'output',
  'ids',
  'sort',
  '__proto__',
  'constructor',
  'rows[]',
  '',
]
const VALUES = [
  '*',
  '-1',
  '0',
  '1',
  '1000',
  '1001',
  '10000',
  '10001',
  '1e3',
  '0x10',
  'NaN',
  'Infinity',
  'bibtex',
  'ris',
  'bibliography',
].concat([
  'csl-json',
  'biblatex',
  'html',
  'text',
  'pdf',
  'apa',
  'vancouver',
  'harvard',
  'de-DE',
  'de',
  'xx',
  '',
  '%',
  '%ZZ',
  'WzAsbnVsbCwwXQ',
])

const parameter = fc
  .tuple(fc.oneof(fc.constantFrom(...KEYS), piece), fc.oneof(fc.constantFrom(...VALUES), id, fc.integer().map(String)))
  .map(([key, value]) => `${key}=${value}`)
const query = fc.array(parameter, { maxLength: 6 }).map((parameters) => (parameters.length === 0 ? '' : `?${parameters.join('&')}`))

const Q_VALUES = ['1', '0', '0.5', '0.001', '1.0001', '-1', 'abc', '0.000', '1.000', '2', '', '0.0000001', '1e0']
const mediaRange = fc
  .tuple(
    fc.constantFrom('application', 'text', '*', 'x', '', 'APPLICATION', 'image'),
    fc.constantFrom('x-bibtex', 'json', '*', 'x-bibliography', 'vnd.citationstyles.csl+json', 'x-research-info-systems', '', 'html'),
    fc.constantFrom(...Q_VALUES),
    fc.constantFrom('', '; style=vancouver', '; style=nope', '; locale=de-DE', '; locale="x\\"y"', '; style', '; =', ';;'),
  )
  .map(([type, subtype, q, parameters]) => `${type}/${subtype}${parameters};q=${q}`)

const accept = fc.oneof(
  fc.constantFrom(
    'application/x-bibtex',
    'text/x-bibliography; style=harvard; locale=fr-FR',
    '*/*',
    'application/json;q=0.5, application/x-research-info-systems',
  ),
  ascii(200),
  fc.array(mediaRange, { minLength: 1, maxLength: 10 }).map((ranges) => ranges.join(', ')),
  fc.array(mediaRange, { minLength: 100, maxLength: 300 }).map((ranges) => ranges.join(',')),
  fc.integer({ min: 100, max: 1200 }).map((count) => 'text/x-bibliography;q=0.5,'.repeat(count)),
)

const optionalHeaders = fc.record(
  {
    accept,
    'accept-encoding': fc.oneof(fc.constantFrom('br', 'gzip;q=0', '*;q=abc', 'gzip, br;q=2', 'identity;q=0'), ascii(40)),
    'if-none-match': fc.oneof(fc.constantFrom('*', '"x"', 'W/"x"', '""'), ascii(60)),
    'if-modified-since': fc.oneof(
      fc.constantFrom('Thu, 01 Jan 1970 00:00:00 GMT', 'Fri, 31 Dec 9999 23:59:59 GMT', 'yesterday'),
      ascii(40),
    ),
    origin: fc.oneof(fc.constantFrom('https://reader.example', 'null'), ascii(40)),
    'x-request-id': ascii(200),
  },
  { requiredKeys: [] },
)

export const METHODS = ['GET', 'GET', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'DELETE', 'PATCH']

export const hostileRequest = (methods: readonly string[]): fc.Arbitrary<HostileRequest> =>
  fc.record({
    method: fc.constantFrom(...methods),
    url: fc.tuple(path, query).map(([pathPart, queryPart]) => pathPart + queryPart),
    headers: optionalHeaders.map(
      (headers) => Object.fromEntries(Object.entries(headers).filter(([, value]) => value !== undefined)) as Record<string, string>,
    ),
  })
