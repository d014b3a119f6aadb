import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent } from 'react'
import { api, must, type Chat, type Message } from '../api/client'
import { Composer } from './Composer'
import { MessageBody } from './MessageBody'
import { MessageTools, react } from './MessageTools'
import { usePrefs } from '../i18n'
import { useLive } from '../live'
import { navigate } from '../router'
import { useRole } from './ActionDetail'
import { ErrorBox } from './ErrorBox'
import { unreadLabel } from './unread'

export default function ChatsPage({ params }: { params: URLSearchParams }) {
  const { t } = usePrefs()
  const live = useLive()
  const options = [
    ...live.sessions.map((s) => ({ id: s.id, name: s.name || '#' + s.id })),
    ...live.shared.map((s) => ({ id: s.sessionId, name: s.name + ' (' + s.ownerPhoneNumber + ')' })),
  ]
  const sessionId = Number(params.get('session')) || options[0]?.id
  const chat = params.get('chat') ?? ''
  const go = (sid: number, c = '') => navigate(`/chats?session=${sid}${c ? '&chat=' + encodeURIComponent(c) : ''}`)

  if (!live.loaded) return <p className="muted">{t('common.loading')}</p>
  if (!sessionId) return <p className="empty">{t('chats.noAccount')}</p>
  return (
    <section className="split" aria-labelledby="chats-h">
      <div className="pane">
        <div className="pane-head">
          <h1 id="chats-h">{t('chats.title')}</h1>
          <label>
            {t('chats.account')}
            <select value={sessionId} onChange={(e) => go(Number(e.target.value))}>
              {options.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name}
                </option>
              ))}
            </select>
          </label>
        </div>
        <ChatList sessionId={sessionId} active={chat} open={(c) => go(sessionId, c)} />
      </div>
      <div className="pane detail">{chat ? <Conversation key={sessionId + chat} sessionId={sessionId} chat={chat} focus={Number(params.get('msg')) || 0} /> : <p className="muted">{t('chats.select')}</p>}</div>
    </section>
  )
}

function ChatList({ sessionId, active, open }: { sessionId: number; active: string; open: (c: string) => void }) {
  const { t, fmt } = usePrefs()
  const { on } = useLive()
  const [chats, setChats] = useState<Chat[] | null>(null)
  const [error, setError] = useState<unknown>(null)
  const load = useCallback(async () => {
    try {
      setChats(must(await api.GET('/api/sessions/{id}/chats', { params: { path: { id: sessionId }, query: { limit: 100 } } })).items)
      setError(null)
    } catch (e) {
      setError(e)
    }
  }, [sessionId])
  useEffect(() => {
    void load()
    return on((ev) => {
      if (ev.type === 'message' && ev.sessionId === sessionId) void load()
    })
  }, [load, on, sessionId])
  // Opening a chat clears its badge at once; the server's mark follows.
  useEffect(() => {
    if (active) setChats((l) => l && l.map((c) => (c.chat === active ? { ...c, unread: 0 } : c)))
  }, [active, chats?.length])

  if (error) return <ErrorBox error={error} retry={load} />
  if (!chats) return <p className="muted">{t('common.loading')}</p>
  if (chats.length === 0) return <p className="empty">{t('chats.empty')}</p>
  return (
    <ul className="chatlist">
      {chats.map((c) => (
        <li key={c.chat}>
          <button type="button" className={'arow' + (c.chat === active ? ' active' : '')} aria-pressed={c.chat === active} onClick={() => open(c.chat)}>
            <span className="row between">
              <span className="atitle">{c.chat}</span>
              {c.unread > 0 && c.chat !== active && (
                <>
                  <span className="badge" data-testid="chat-unread" aria-hidden="true">
                    {unreadLabel(c.unread)}
                  </span>
                  <span className="sr-only">{t('chats.unread', { n: c.unread })}</span>
                </>
              )}
            </span>
            <span className="muted small">
              {(c.lastMessage.text || t(('msg.kind.' + c.lastMessage.kind) as 'msg.kind.image')).slice(0, 80)} · {fmt(c.lastMessage.sentAt)}
            </span>
          </button>
        </li>
      ))}
    </ul>
  )
}

function Conversation({ sessionId, chat, focus }: { sessionId: number; chat: string; focus: number }) {
  const { t, fmt } = usePrefs()
  const live = useLive()
  const role = useRole(sessionId)
  const [messages, setMessages] = useState<Message[] | null>(null)
  const [q, setQ] = useState('')
  const [error, setError] = useState<unknown>(null)
  const [quote, setQuote] = useState<Message | null>(null)
  const [dropped, setDropped] = useState<File | null>(null)
  const [dragging, setDragging] = useState(false)
  const end = useRef<HTMLLIElement>(null)
  const { refreshUnread, on } = live
  // markRead moves the caller's read marker (0: to the newest message); a
  // failure only leaves the badge up until the next open.
  const markRead = useCallback(
    (upTo: number) => {
      const body = upTo ? { chat, upTo } : { chat }
      api.POST('/api/sessions/{id}/chats/read', { params: { path: { id: sessionId } }, body }).then(
        () => refreshUnread(),
        () => undefined,
      )
    },
    [sessionId, chat, refreshUnread],
  )

  const load = useCallback(async () => {
    try {
      const query = { chat, limit: 100, ...(q ? { q } : {}) }
      const page = must(await api.GET('/api/sessions/{id}/messages', { params: { path: { id: sessionId }, query } }))
      setMessages(page.items.slice().reverse())
      setError(null)
    } catch (e) {
      setError(e)
    }
  }, [sessionId, chat, q])
  useEffect(() => {
    void load()
    return on((ev) => {
      if (!ev.type.startsWith('message') || ev.sessionId !== sessionId) return
      const m = ev.data as Message
      if (m.chat !== chat) return
      if (ev.type !== 'message') {
        // An edit, delete, reaction or receipt: the message as it is now.
        setMessages((l) => l && l.map((x) => (x.id === m.id ? m : x)))
        return
      }
      if (!q) setMessages((l) => (l && !l.some((x) => x.id === m.id) ? [...l, m] : l))
      if (!m.fromMe) markRead(m.id)
    })
  }, [load, on, sessionId, chat, q, markRead])
  // Opening the conversation reads it up to its newest message.
  useEffect(() => markRead(0), [markRead])
  // Open at the cited message when there is one, else at the newest.
  useEffect(() => {
    const target = focus ? document.getElementById('msg-' + focus) : null
    ;(target ?? end.current)?.scrollIntoView?.({ block: target ? 'center' : 'end' })
  }, [messages, focus])

  const put = useCallback((m: Message) => setMessages((l) => l && (l.some((x) => x.id === m.id) ? l.map((x) => (x.id === m.id ? m : x)) : [...l, m])), [])
  const canSend = role !== 'viewer'
  // A click on the user's own reaction takes it back; a failure leaves it.
  const takeBack = (m: Message) => react(m, chat, '').then(put, (e: unknown) => setError(e))
  const byId = useMemo(() => new Map(messages?.map((m) => [m.id, m])), [messages])
  // A file dropped anywhere on the conversation is attached to the draft.
  const drop = (e: DragEvent) => {
    if (!canSend || !e.dataTransfer.types.includes('Files')) return
    e.preventDefault()
    setDragging(e.type === 'dragover')
    const f = e.type === 'drop' ? e.dataTransfer.files[0] : undefined
    if (f) setDropped(f)
  }

  return (
    <div className={'conversation' + (dragging ? ' dragging' : '')} onDragOver={drop} onDragLeave={() => setDragging(false)} onDrop={drop}>
      <div className="pane-head">
        <h2>{chat}</h2>
        <label>
          <span className="sr-only">{t('chats.search')}</span>
          <input type="search" placeholder={t('chats.search')} aria-label={t('chats.search')} value={q} onChange={(e) => setQ(e.target.value)} />
        </label>
      </div>
      {error ? <ErrorBox error={error} retry={load} /> : null}
      {!messages && !error && <p className="muted">{t('common.loading')}</p>}
      <ol className="messages" data-testid="messages">
        {messages?.map((m) => (
          <li key={m.id} id={'msg-' + m.id} className={(m.fromMe ? 'me' : 'them') + (m.id === focus ? ' focus' : '')}>
            <span className="sr-only">{m.fromMe ? t('chats.you') : m.sender}: </span>
            <MessageBody m={m} quoted={m.quote?.id ? byId.get(m.quote.id) : undefined} takeBack={canSend ? () => void takeBack(m) : undefined} />
            {canSend && !m.deletedAt && <MessageTools m={m} chat={chat} onReply={setQuote} onChanged={put} />}
            <time className="small muted" dateTime={m.sentAt}>
              {fmt(m.sentAt, false)}
            </time>
          </li>
        ))}
        <li ref={end} aria-hidden="true" className="end" />
      </ol>
      {dragging && <p className="dropzone">{t('compose.drop')}</p>}
      {canSend && <Composer sessionId={sessionId} chat={chat} quote={quote} clearQuote={() => setQuote(null)} dropped={dropped} onSent={put} />}
    </div>
  )
}

