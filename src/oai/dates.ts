import { OaiError } from './errors.js'

/** The repository's granularity: seconds, in UTC. */
export const GRANULARITY = 'YYYY-MM-DDThh:mm:ssZ'

export function datestamp(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`
}

const DAY = /^\d{4}-\d{2}-\d{2}$/
const SECOND = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/

/** A from/until argument as the first or last second it covers; badArgument if it is no UTC datestamp. */
export function parseDatestamp(name: 'from' | 'until', value: string): { readonly time: number; readonly granularity: 'day' | 'second' } {
  const granularity = DAY.test(value) ? 'day' : SECOND.test(value) ? 'second' : undefined
  const time = Date.parse(granularity === 'day' ? `${value}T00:00:00Z` : value)
  // Read back, a real date gives the same text: this refuses 2005-02-30 and 25:00:00.
  if (granularity === undefined || Number.isNaN(time) || !datestamp(new Date(time)).startsWith(value.replace(/Z$/, '')))
    throw new OaiError('badArgument', `${name} "${value}" is not a UTC datestamp of the form YYYY-MM-DD or ${GRANULARITY}`)
  // A day in until covers the whole day.
  return { time: name === 'until' && granularity === 'day' ? time + 86_399_000 : time, granularity }
}
