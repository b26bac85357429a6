import { CSL_ITEM_TYPES } from '../../catalogue/schema.js'
import { DATACITE_TYPES } from '../datacite.js'
import type { ImportFormat, ReadOutcome } from './reader.js'
import { isObject, readJson } from './json.js'
import { lenientCsl } from './lenient-csl.js'

// DataCite's REST API (`/dois`, JSON:API): a work is `data.attributes`. Its resourceTypeGeneral is
// read through the table the DataCite export writes, the other way round.
const CSL_BY_RESOURCE_TYPE = new Map(Object.entries(DATACITE_TYPES).map(([csl, datacite]) => [datacite, csl]))

type Json = Record<string, unknown>

function objects(value: unknown): Json[] {
  return Array.isArray(value) ? value.filter(isObject) : []
}

function person(creator: Json): Json {
  const { name, nameType, givenName, familyName, ...rest } = creator
  const personal = nameType !== 'Organizational' && (typeof familyName === 'string' || typeof givenName === 'string')
  return personal ? { family: familyName, given: givenName, ...rest } : { literal: name, ...rest }
}

function cslType(types: unknown): { type: string; genre?: unknown } {
  const { citeproc, resourceTypeGeneral, resourceType } = isObject(types) ? types : {}
  const type =
    typeof citeproc === 'string' && CSL_ITEM_TYPES.includes(citeproc as never)
      ? citeproc
      : (CSL_BY_RESOURCE_TYPE.get(String(resourceTypeGeneral)) ??
        (typeof resourceTypeGeneral === 'string' && resourceTypeGeneral !== 'Text' ? resourceTypeGeneral : 'document'))
  return { type, ...(typeof resourceType === 'string' && resourceType !== '' ? { genre: resourceType } : {}) }
}

function issued(attributes: Json): unknown {
  const date = objects(attributes.dates).find(({ dateType }) => dateType === 'Issued')?.date
  return date ?? attributes.publicationYear
}

/** One DataCite work (the attributes of a DOI) as CSL-JSON. */
function cslOf(attributes: Json): Json {
  const {
    doi,
    url,
    titles,
    creators,
    contributors,
    publisher,
    publicationYear: _year,
    types,
    descriptions,
    subjects,
    container,
    ...rest
  } = attributes
  const titleList = objects(titles)
  const main = titleList.find(({ titleType }) => titleType === undefined) ?? titleList[0]
  const subtitle = titleList.find(({ titleType }) => titleType === 'Subtitle')
  const others = titleList.filter((title) => title !== main && title !== subtitle)
  const abstract = objects(descriptions).find(({ descriptionType }) => descriptionType === 'Abstract')
  const otherDescriptions = objects(descriptions).filter((description) => description !== abstract)
  const editors = objects(contributors).filter(({ contributorType }) => contributorType === 'Editor')
  const otherContributors = objects(contributors).filter((contributor) => !editors.includes(contributor))
  const { title: containerTitle, volume, issue, firstPage, lastPage, ...containerRest } = isObject(container) ? container : {}
  const page = [firstPage, lastPage].filter((part) => typeof part === 'string' && part !== '').join('-')
  return {
    ...rest,
    ...cslType(types),
    ...(doi === undefined ? {} : { DOI: doi }),
    ...(url === undefined ? {} : { URL: url }),
    ...(main === undefined ? {} : { title: subtitle === undefined ? main.title : `${String(main.title)}: ${String(subtitle.title)}` }),
    ...(others.length > 0 ? { 'other-titles': others } : {}),
    ...(Array.isArray(creators) ? { author: objects(creators).map(person) } : {}),
    ...(editors.length > 0 ? { editor: editors.map(({ contributorType: _editor, ...editor }) => person(editor)) } : {}),
    ...(otherContributors.length > 0 ? { contributors: otherContributors } : {}),
    ...(publisher === undefined ? {} : { publisher: isObject(publisher) ? publisher.name : publisher }),
    ...(issued(attributes) === undefined ? {} : { issued: String(issued(attributes)) }),
    ...(abstract === undefined ? {} : { abstract: abstract.description }),
    ...(otherDescriptions.length > 0 ? { descriptions: otherDescriptions } : {}),
    ...(Array.isArray(subjects)
      ? {
          keyword: objects(subjects)
            .map(({ subject }) => String(subject))
            .join(', '),
        }
      : {}),
    ...(containerTitle === undefined ? {} : { 'container-title': containerTitle }),
    ...(volume === undefined ? {} : { volume }),
    ...(issue === undefined ? {} : { issue }),
    ...(page === '' ? {} : { page }),
    ...(Object.keys(containerRest).length > 0 ? { container: containerRest } : {}),
  }
}

function read(value: unknown): ReadOutcome[] {
  if (Array.isArray(value)) return value.flatMap(read)
  if (!isObject(value)) return [{ error: 'a DataCite record must be a JSON object' }]
  if ('data' in value) return read(value.data)
  const attributes = isObject(value.attributes) ? value.attributes : value
  return [lenientCsl(cslOf(attributes))]
}

export const dataciteImport: ImportFormat = {
  name: 'datacite',
  aliases: [],
  // DataCite JSON as DataCite's content negotiation (and citeserve's export) gives it, and its REST API's JSON:API.
  mediaTypes: ['application/vnd.datacite.datacite+json', 'application/vnd.api+json'],
  syntax: 'json',
  looksLike: (head) => /^\s*\{\s*"data"\s*:/.test(head) && /"attributes"\s*:/.test(head),
  reader: () => ({ read: (texts) => readJson(texts, read) }),
}
