import { describe, expect, it } from 'vitest'
import type { Event } from './api/client'
import { backoff, CursorTracker, resumeQuery } from './stream'

const ev = (cursor: number, shared?: boolean) => ({ cursor, type: 'message', data: {}, createdAt: '', shared }) as unknown as Event

describe('CursorTracker', () => {
  it('passes each cursor once, in any replay order', () => {
    const t = new CursorTracker(0)
    const seen = [1, 2, 2, 3, 1, 4, 3].map((c) => ev(c)).filter((e) => t.accept(e)).map((e) => e.cursor)
    expect(seen).toEqual([1, 2, 3, 4])
    expect(t.last).toBe(4)
  })
  it('resumes after the cursor it was given', () => {
    const t = new CursorTracker(10)
    expect(t.accept(ev(10))).toBe(false)
    expect(t.accept(ev(11))).toBe(true)
  })
  it("does not move on a shared session's owner cursor", () => {
    const t = new CursorTracker(5)
    expect(t.accept(ev(900, true))).toBe(true)
    expect(t.last).toBe(5)
    expect(t.accept(ev(6))).toBe(true)
  })
})

describe('backoff', () => {
  it('doubles and caps', () => {
    expect(backoff(0, () => 0.5)).toBe(500)
    expect(backoff(3, () => 0.5)).toBe(4000)
    expect(backoff(20, () => 0.5)).toBe(15000)
    expect(backoff(0, () => 0)).toBe(400)
    expect(backoff(0, () => 1)).toBe(600)
  })
})

describe('resumeQuery', () => {
  it('resumes after the last cursor, or starts live', () => {
    expect(resumeQuery(0)).toBe('')
    expect(resumeQuery(41)).toBe('&after=41')
  })
})
