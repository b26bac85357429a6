import { describe, expect, it } from 'vitest'
import { Readiness } from '../src/readiness.js'

describe('Readiness', () => {
  it('goes from starting to ready to draining', () => {
    const readiness = new Readiness()
    expect([readiness.state, readiness.isReady]).toEqual(['starting', false])
    readiness.ready()
    expect([readiness.state, readiness.isReady]).toEqual(['ready', true])
    readiness.drain()
    expect([readiness.state, readiness.isReady]).toEqual(['draining', false])
  })

  it('never becomes ready again once draining, even if draining began during startup', () => {
    const readiness = new Readiness()
    readiness.drain()
    readiness.ready()
    expect(readiness.state).toBe('draining')
  })
})
