import { describe, expect, it } from 'vitest'
import { flatten, groupByDueDay, mergeNewer, upsert, visibleRange } from './actions'
import type { Action } from './api/client'

const a = (id: number, dueAt?: string): Action => ({ id, sessionId: 1, dueAt, type: 'task', status: 'pending', title: 't' + id }) as Action

describe('groupByDueDay', () => {
  // 2026-12-07 09:00 in Kuala Lumpur (UTC+8) is 01:00 UTC.
  const now = new Date('2026-12-07T01:00:00Z')
  const tz = 'Asia/Kuala_Lumpur'
  it('groups by the day in the user zone', () => {
    const groups = groupByDueDay(
      [
        a(1), // no due date
        a(2, '2026-12-06T15:00:00Z'), // 23:00 on the 6th in KL: overdue
        a(3, '2026-12-06T16:30:00Z'), // 00:30 on the 7th in KL: today, though the 6th in UTC
        a(4, '2026-12-08T02:00:00Z'), // tomorrow
        a(5, '2026-12-10T02:00:00Z'),
        a(6, '2026-12-07T10:00:00Z'), // today, later
      ],
      tz,
      now,
    )
    expect(groups.map((g) => [g.key, g.items.map((x) => x.id)])).toEqual([
      ['overdue', [2]],
      ['today', [3, 6]],
      ['tomorrow', [4]],
      ['2026-12-10', [5]],
      ['none', [1]],
    ])
  })
  it('moves a day boundary with the zone', () => {
    const groups = groupByDueDay([a(3, '2026-12-06T16:30:00Z')], 'UTC', now)
    expect(groups[0].key).toBe('overdue')
  })
  it('flattens into header and action rows', () => {
    const rows = flatten(groupByDueDay([a(1), a(2, '2026-12-07T02:00:00Z')], tz, now))
    expect(rows.map((r) => (r.kind === 'head' ? r.key + ':' + r.count : r.action.id))).toEqual(['today:1', 2, 'none:1', 1])
  })
})

describe('upsert', () => {
  it('replaces by id or prepends', () => {
    const list = [a(1), a(2)]
    expect(upsert(list, { ...a(2), title: 'x' }).map((x) => x.title)).toEqual(['t1', 'x'])
    expect(upsert(list, a(3)).map((x) => x.id)).toEqual([3, 1, 2])
  })
})

describe('visibleRange', () => {
  it('renders only what is on screen plus overscan', () => {
    expect(visibleRange(0, 600, 60, 1000, 2)).toEqual({ first: 0, last: 12 })
    expect(visibleRange(6000, 600, 60, 1000, 2)).toEqual({ first: 98, last: 112 })
    expect(visibleRange(59_000, 1200, 60, 1000, 2)).toEqual({ first: 981, last: 1000 })
  })
})

describe('mergeNewer', () => {
  it('keeps live additions and later updates over a loaded page', () => {
    const loaded = [{ ...a(2), updatedAt: '2026-12-07T01:00:00Z', status: 'pending' }, { ...a(1), updatedAt: '2026-12-07T01:00:00Z' }] as Action[]
    const current = [{ ...a(3) }, { ...a(2), updatedAt: '2026-12-07T02:00:00Z', status: 'done' }] as Action[]
    const out = mergeNewer(loaded, current)
    expect(out.map((x) => [x.id, x.status])).toEqual([
      [3, 'pending'],
      [2, 'done'],
      [1, 'pending'],
    ])
  })
  it('takes the loaded copy when it is as new', () => {
    const loaded = [{ ...a(1), updatedAt: '2026-12-07T02:00:00Z', title: 'new' }] as Action[]
    const current = [{ ...a(1), updatedAt: '2026-12-07T01:00:00Z', title: 'old' }] as Action[]
    expect(mergeNewer(loaded, current)[0].title).toBe('new')
  })
})
