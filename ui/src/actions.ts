import type { Action } from './api/client'

// dayKey is the calendar day (YYYY-MM-DD) of t in timeZone.
export function dayKey(t: Date, timeZone: string): string {
  let f = dayFormats.get(timeZone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
    dayFormats.set(timeZone, f)
  }
  return f.format(t)
}

// Building a formatter costs far more than using one: one per zone.
const dayFormats = new Map<string, Intl.DateTimeFormat>()

export type Group = { key: 'overdue' | 'today' | 'tomorrow' | 'none' | string; items: Action[] }

// groupByDueDay puts actions under overdue, today, tomorrow, each later day
// (YYYY-MM-DD), then no due date; each group is ordered by due time, then id.
export function groupByDueDay(actions: Action[], timeZone: string, now: Date): Group[] {
  const today = dayKey(now, timeZone)
  const tomorrow = dayKey(new Date(now.getTime() + 86_400_000), timeZone)
  const groups = new Map<string, Action[]>()
  const sorted = [...actions].sort(
    (a, b) => (a.dueAt ? Date.parse(a.dueAt) : Infinity) - (b.dueAt ? Date.parse(b.dueAt) : Infinity) || a.id - b.id,
  )
  for (const a of sorted) {
    let key = 'none'
    if (a.dueAt) {
      const d = dayKey(new Date(a.dueAt), timeZone)
      key = d < today ? 'overdue' : d === today ? 'today' : d === tomorrow ? 'tomorrow' : d
    }
    const list = groups.get(key) ?? []
    list.push(a)
    groups.set(key, list)
  }
  const order = (k: string) => (k === 'overdue' ? '0' : k === 'today' ? '1' : k === 'tomorrow' ? '2' : k === 'none' ? '9' : '3' + k)
  return [...groups.entries()].sort((a, b) => order(a[0]).localeCompare(order(b[0]))).map(([key, items]) => ({ key, items }))
}

export type Row = { kind: 'head'; key: string; count: number } | { kind: 'action'; action: Action }

// flatten turns groups into the rows of the virtual list.
export function flatten(groups: Group[]): Row[] {
  const rows: Row[] = []
  for (const g of groups) {
    rows.push({ kind: 'head', key: g.key, count: g.items.length })
    for (const a of g.items) rows.push({ kind: 'action', action: a })
  }
  return rows
}

// upsert replaces the action with the same id or adds it.
export function upsert(list: Action[], a: Action): Action[] {
  const i = list.findIndex((x) => x.id === a.id)
  if (i < 0) return [a, ...list]
  const out = list.slice()
  out[i] = a
  return out
}

// mergeNewer takes the loaded list and keeps, from the current one, actions
// it lacks or that were updated later (live events that raced the load).
export function mergeNewer(loaded: Action[], current: Action[]): Action[] {
  const byId = new Map(loaded.map((a) => [a.id, a]))
  for (const c of current) {
    const l = byId.get(c.id)
    if (!l || (c.updatedAt && l.updatedAt && Date.parse(c.updatedAt) > Date.parse(l.updatedAt))) byId.set(c.id, c)
  }
  return [...byId.values()].sort((a, b) => b.id - a.id)
}

// visibleRange is the slice of rows of fixed height to render for a scroll
// position, with overscan rows on each side.
export function visibleRange(scrollTop: number, height: number, rowHeight: number, count: number, overscan = 6) {
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan)
  const last = Math.min(count, Math.ceil((scrollTop + height) / rowHeight) + overscan)
  return { first, last }
}
