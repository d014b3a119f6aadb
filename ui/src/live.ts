import { createContext, useCallback, useContext, useEffect, useRef, useState } from 'react'
import { api, must, type Action, type Event, type Schemas, type Session } from './api/client'
import { mergeNewer, upsert } from './actions'
import { EventStream, type StreamState } from './stream'

export type SharedSession = Schemas['SharedSession']

export interface Live {
  sessions: Session[]
  shared: SharedSession[]
  actions: Action[]
  loaded: boolean
  error: unknown
  stream: StreamState
  // unread is the total of unread incoming messages of the user's own
  // sessions; refreshUnread re-reads it (after a chat is marked read).
  unread: number
  refreshUnread: () => void
  reload: () => Promise<void>
  putSession: (s: Session) => void
  dropSession: (id: number) => void
  putAction: (a: Action) => void
  // on is told of every live event (chats and QR panels listen to it).
  on: (fn: (ev: Event) => void) => () => void
}

export const LiveContext = createContext<Live | null>(null)

export function useLive(): Live {
  const l = useContext(LiveContext)
  if (!l) throw new Error('useLive outside LiveContext')
  return l
}

const MAX_ACTION_PAGES = 25 // 5,000 actions

// loadActions reads the actions page by page and shows each page as it
// comes, so the inbox renders after the first request, not the last.
async function loadActions(show: (a: Action[]) => void): Promise<void> {
  const out: Action[] = []
  let cursor: string | undefined
  for (let i = 0; i < MAX_ACTION_PAGES; i++) {
    const page = must(await api.GET('/api/actions', { params: { query: { limit: 200, cursor } } }))
    out.push(...page.items)
    show(out.slice())
    cursor = page.nextCursor
    if (!cursor) break
  }
}

// useLiveData loads the user's sessions and actions once, then keeps them
// current from the event stream.
export function useLiveData(): Live {
  const [sessions, setSessions] = useState<Session[]>([])
  const [shared, setShared] = useState<SharedSession[]>([])
  const [actions, setActions] = useState<Action[]>([])
  const [loaded, setLoaded] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const [stream, setStream] = useState<StreamState>('connecting')
  const [unread, setUnread] = useState(0)
  const listeners = useRef(new Set<(ev: Event) => void>())
  const unreadTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined)

  // One read of the total for a burst of messages or marks.
  const refreshUnread = useCallback(() => {
    if (unreadTimer.current) return
    unreadTimer.current = setTimeout(() => {
      unreadTimer.current = undefined
      api.GET('/api/unread').then(
        (r) => setUnread(must(r).total),
        () => undefined, // the badge keeps its last value; the next event retries
      )
    }, 250)
  }, [])

  const reload = useCallback(async () => {
    setError(null)
    try {
      // One round of parallel requests: no waterfall.
      const [s, sh] = await Promise.all([
        api.GET('/api/sessions').then(must),
        api.GET('/api/shared-sessions').then(must),
        loadActions((a) => {
          // Live events may have added actions meanwhile: keep them.
          setActions((cur) => mergeNewer(a, cur))
        }),
      ])
      setSessions(s.items)
      setShared(sh.items)
      setLoaded(true)
      refreshUnread()
    } catch (e) {
      setError(e)
    }
  }, [refreshUnread])

  const putSession = useCallback((s: Session) => {
    setSessions((list) => {
      const i = list.findIndex((x) => x.id === s.id)
      if (i < 0) return [...list, s]
      const out = list.slice()
      out[i] = { ...list[i], ...s }
      return out
    })
  }, [])
  const dropSession = useCallback((id: number) => setSessions((l) => l.filter((s) => s.id !== id)), [])
  const putAction = useCallback((a: Action) => setActions((l) => upsert(l, a)), [])

  useEffect(() => {
    const onEvent = (ev: Event) => {
      const data = ev.data as Record<string, unknown>
      switch (ev.type) {
        case 'session.state':
          if (!ev.shared) putSession(data as unknown as Session)
          break
        case 'session.deleted':
          if (ev.sessionId) dropSession(ev.sessionId)
          break
        case 'action.created':
        case 'action.updated':
          putAction(data as unknown as Action)
          break
        case 'message':
          if (!ev.shared && !(data as { fromMe?: boolean }).fromMe) refreshUnread()
          break
      }
      listeners.current.forEach((l) => l(ev))
    }
    const es = new EventStream(onEvent, setStream, 0, () => void reload())
    es.start()
    void reload()
    return () => {
      es.stop()
      clearTimeout(unreadTimer.current)
    }
  }, [reload, putSession, dropSession, putAction, refreshUnread])

  const on = useCallback((fn: (ev: Event) => void) => {
    listeners.current.add(fn)
    return () => void listeners.current.delete(fn)
  }, [])

  return { sessions, shared, actions, loaded, error, stream, unread, refreshUnread, reload, putSession, dropSession, putAction, on }
}
