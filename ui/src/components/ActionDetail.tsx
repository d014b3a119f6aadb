import { useState } from 'react'
import { api, idempotencyKey, must, type Action } from '../api/client'
import { describe } from '../errors'
import { usePrefs, type Key } from '../i18n'
import { useLive } from '../live'
import { navigate } from '../router'

// canAct: the owner and agents act on a session's actions; viewers only read.
export function useRole(sessionId: number): 'owner' | 'agent' | 'viewer' {
  const live = useLive()
  if (live.sessions.some((s) => s.id === sessionId)) return 'owner'
  return live.shared.find((s) => s.sessionId === sessionId)?.role === 'agent' ? 'agent' : 'viewer'
}

export function ActionDetail({ a }: { a: Action }) {
  const { t, fmt } = usePrefs()
  const live = useLive()
  const role = useRole(a.sessionId)
  const [draft, setDraft] = useState(a.draft ?? '')
  const [error, setError] = useState('')
  const [note, setNote] = useState('')
  const [busy, setBusy] = useState(false)

  const run = async (fn: () => Promise<Action>, done?: string) => {
    setBusy(true)
    setError('')
    setNote('')
    try {
      live.putAction(await fn())
      if (done) setNote(done)
    } catch (e) {
      setError(describe(t, e))
    } finally {
      setBusy(false)
    }
  }
  const patch = (body: { status?: 'accepted' | 'dismissed' | 'done'; snoozeUntil?: string }) =>
    run(async () => must(await api.PATCH('/api/actions/{id}', { params: { path: { id: a.id } }, body })))
  const carryOut = () =>
    run(async () => {
      const r = await api.POST('/api/actions/{id}/execute', {
        params: { path: { id: a.id } },
        headers: { 'Idempotency-Key': idempotencyKey() },
        body: { text: draft },
      })
      return must(r).action
    }, t('actions.sent'))

  const canAct = role !== 'viewer'
  const open = a.status === 'pending' || a.status === 'accepted'
  const snoozable = a.type === 'meeting' || a.type === 'reminder'
  return (
    <article className="stack" aria-labelledby="action-title" data-testid="action-detail">
      <h2 id="action-title">{a.title}</h2>
      <p>
        <span className={'tag t-' + a.type}>{t(('type.' + a.type) as Key)}</span> <span className="pill">{t(('status.' + a.status) as Key)}</span>
      </p>
      {a.dueAt && <p>{t('actions.due', { time: fmt(a.dueAt) })}</p>}
      {a.amount && (
        <p>
          {a.currency} {a.amount}
        </p>
      )}
      {a.people && a.people.length > 0 && <p>{a.people.join(', ')}</p>}
      <figure className="quote">
        <figcaption>
          <a
            href={`/chats?session=${a.sessionId}&chat=${encodeURIComponent(a.chat ?? '')}`}
            onClick={(e) => {
              e.preventDefault()
              navigate(`/chats?session=${a.sessionId}&chat=${encodeURIComponent(a.chat ?? '')}`)
            }}
          >
            {t('actions.from', { chat: a.chat ?? '' })}
          </a>
        </figcaption>
        <blockquote>{a.span}</blockquote>
      </figure>
      {canAct && open && a.type === 'reply_needed' && (
        <label>
          {t('actions.draft')}
          <textarea rows={3} value={draft} onChange={(e) => setDraft(e.target.value)} maxLength={4096} />
        </label>
      )}
      {canAct && (
        <div className="row wrap">
          {a.status === 'pending' && (
            <button type="button" className="primary" disabled={busy} onClick={() => patch({ status: 'accepted' })}>
              {t('actions.accept')}
            </button>
          )}
          {open && a.type === 'reply_needed' && (
            <button type="button" className="primary" disabled={busy || !draft.trim()} onClick={carryOut}>
              {t('actions.carryOut')}
            </button>
          )}
          {a.status === 'accepted' && (
            <button type="button" disabled={busy} onClick={() => patch({ status: 'done' })}>
              {t('actions.done')}
            </button>
          )}
          {open && snoozable && (
            <button type="button" disabled={busy} onClick={() => patch({ snoozeUntil: new Date(Date.now() + 86_400_000).toISOString() })}>
              {t('actions.snooze')}
            </button>
          )}
          {a.status === 'pending' && (
            <button type="button" disabled={busy} onClick={() => patch({ status: 'dismissed' })}>
              {t('actions.dismiss')}
            </button>
          )}
        </div>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {note && <p role="status">{note}</p>}
    </article>
  )
}
