// The live event stream: a single-use ticket from POST /api/ws-ticket opens
// /api/ws, and after any drop the stream reopens with ?after=<last cursor>,
// so nothing is missed; events at or below the last cursor are dropped, so
// nothing is seen twice. Events of sessions shared with us carry shared: true
// and the owner's cursor, which is not ours to resume from.
import { api, must, type Event } from './api/client'

export class CursorTracker {
  constructor(public last = 0) {}
  // accept says whether ev is new, and advances the cursor when it is ours.
  accept(ev: Event): boolean {
    if (ev.shared) return true
    if (ev.cursor <= this.last) return false
    this.last = ev.cursor
    return true
  }
}

// backoff is the wait before reconnect attempt n (0-based): 0.5 s doubling to
// 15 s, with up to 20% jitter.
export function backoff(n: number, rand = Math.random): number {
  const base = Math.min(15_000, 500 * 2 ** n)
  return Math.round(base * (0.8 + 0.4 * rand()))
}

// resumeQuery resumes after the last cursor seen; before any event there is
// nothing to resume from, so the stream starts live and the caller reloads
// its lists instead (onResync).
export function resumeQuery(last: number): string {
  return last > 0 ? `&after=${last}` : ''
}

export type StreamState = 'connecting' | 'live' | 'offline'

export class EventStream {
  private ws: WebSocket | null = null
  private attempt = 0
  private timer: ReturnType<typeof setTimeout> | undefined
  private closed = false
  private opened = false
  readonly cursor: CursorTracker

  constructor(
    private onEvent: (ev: Event) => void,
    private onState: (s: StreamState) => void,
    after = 0,
    private onResync?: () => void,
  ) {
    this.cursor = new CursorTracker(after)
  }

  start(): void {
    this.closed = false
    void this.open()
  }

  stop(): void {
    this.closed = true
    clearTimeout(this.timer)
    this.ws?.close(1000)
    this.ws = null
  }

  private async open(): Promise<void> {
    this.onState('connecting')
    let ticket: string
    try {
      ticket = must(await api.POST('/api/ws-ticket')).ticket
    } catch {
      return this.retry()
    }
    if (this.closed) return
    const proto = location.protocol === 'https:' ? 'wss:' : 'ws:'
    const url = `${proto}//${location.host}/api/ws?ticket=${encodeURIComponent(ticket)}` + resumeQuery(this.cursor.last)
    if (this.cursor.last === 0 && this.opened) this.onResync?.()
    this.opened = true
    const ws = new WebSocket(url)
    this.ws = ws
    ws.onopen = () => {
      this.attempt = 0
      this.onState('live')
    }
    ws.onmessage = (m) => {
      let ev: Event
      try {
        ev = JSON.parse(String(m.data)) as Event
      } catch {
        return
      }
      if (this.cursor.accept(ev)) this.onEvent(ev)
    }
    ws.onclose = () => {
      if (this.ws === ws) this.ws = null
      this.retry()
    }
  }

  private retry(): void {
    if (this.closed) return
    this.onState('offline')
    clearTimeout(this.timer)
    this.timer = setTimeout(() => void this.open(), backoff(this.attempt++))
  }
}
