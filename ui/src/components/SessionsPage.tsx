import { useState, type FormEvent } from 'react'
import { api, must, type Session } from '../api/client'
import { describe } from '../errors'
import { usePrefs, type Key } from '../i18n'
import { useLive } from '../live'
import { ErrorBox } from './ErrorBox'
import { LinkPanel } from './LinkPanel'
import { SharePanel } from './SharePanel'

const linking = (s: Session) => s.state === 'new' || s.state === 'qr' || s.state === 'pairing'

export default function SessionsPage() {
  const { t } = usePrefs()
  const live = useLive()
  const [name, setName] = useState('')
  const [error, setError] = useState('')

  const create = async (e: FormEvent) => {
    e.preventDefault()
    setError('')
    try {
      live.putSession(must(await api.POST('/api/sessions', { body: { name } })))
      setName('')
    } catch (err) {
      setError(describe(t, err))
    }
  }

  return (
    <section className="stack page" aria-labelledby="sessions-h">
      <h1 id="sessions-h">{t('sessions.title')}</h1>
      <form onSubmit={create} className="row wrap card">
        <label>
          {t('sessions.name')}
          <input value={name} maxLength={100} onChange={(e) => setName(e.target.value)} placeholder="shop" />
        </label>
        <button type="submit" className="primary">
          {t('sessions.new')}
        </button>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
      </form>
      {live.error ? <ErrorBox error={live.error} retry={live.reload} /> : null}
      {!live.loaded && !live.error && <p className="muted">{t('common.loading')}</p>}
      {live.loaded && live.sessions.length === 0 && <p className="empty">{t('sessions.empty')}</p>}
      <ul className="cards">
        {live.sessions.map((s) => (
          <li key={s.id} className="card stack" data-testid="session-card">
            <SessionCard s={s} />
          </li>
        ))}
      </ul>
      {live.shared.length > 0 && (
        <>
          <h2>{t('sessions.shared')}</h2>
          <ul className="cards">
            {live.shared.map((s) => (
              <li key={s.sessionId} className="card" data-testid="shared-card">
                <strong>{s.name}</strong>
                <p className="muted">{t('sessions.sharedBy', { phone: s.ownerPhoneNumber, role: s.role })}</p>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  )
}

function SessionCard({ s }: { s: Session }) {
  const { t, fmt } = usePrefs()
  const live = useLive()
  const [error, setError] = useState('')
  const [renaming, setRenaming] = useState(false)
  const [newName, setNewName] = useState(s.name)

  const act = async (fn: () => Promise<void>) => {
    setError('')
    try {
      await fn()
    } catch (e) {
      setError(describe(t, e))
    }
  }
  const path = { params: { path: { id: s.id } } }
  const command = (verb: 'start' | 'stop' | 'logout') =>
    act(async () => live.putSession(must(await api.POST(`/api/sessions/{id}/${verb}`, path))))
  const rename = (e: FormEvent) => {
    e.preventDefault()
    void act(async () => {
      live.putSession(must(await api.PATCH('/api/sessions/{id}', { ...path, body: { name: newName } })))
      setRenaming(false)
    })
  }
  const remove = () =>
    act(async () => {
      if (!confirm(t('sessions.confirmDelete', { name: s.name }))) return
      must(await api.DELETE('/api/sessions/{id}', path))
      live.dropSession(s.id)
    })

  return (
    <>
      <div className="row wrap between">
        <h2 className="h3">{s.name || '#' + s.id}</h2>
        <span className={'pill state-' + s.state} data-testid="session-state">
          {t(('state.' + s.state) as Key)}
          {s.reason ? ': ' + t(('reason.' + s.reason) as Key) : ''}
        </span>
      </div>
      {s.phoneNumber && <p className="muted">{t('sessions.phone', { phone: s.phoneNumber })}</p>}
      {s.state === 'connected' && s.connectedAt && <p className="muted">{t('sessions.connectedAt', { time: fmt(s.connectedAt) })}</p>}
      {s.sendPacing && <p className="muted small">{t('sessions.pacing', { perMinute: s.sendPacing.perMinute, burst: s.sendPacing.burst })}</p>}
      {linking(s) && <LinkPanel s={s} />}
      {renaming ? (
        <form onSubmit={rename} className="row wrap">
          <label>
            {t('sessions.name')}
            <input value={newName} maxLength={100} onChange={(e) => setNewName(e.target.value)} />
          </label>
          <button type="submit">{t('common.save')}</button>
          <button type="button" onClick={() => setRenaming(false)}>
            {t('common.cancel')}
          </button>
        </form>
      ) : (
        <div className="row wrap">
          {s.state !== 'connected' && !linking(s) && (
            <button type="button" onClick={() => command('start')}>
              {t('sessions.start')}
            </button>
          )}
          {(s.state === 'connected' || s.state === 'disconnected' || linking(s)) && (
            <button type="button" onClick={() => command('stop')}>
              {t('sessions.stop')}
            </button>
          )}
          {s.deviceJid && (
            <button type="button" onClick={() => command('logout')}>
              {t('sessions.logout')}
            </button>
          )}
          <button type="button" onClick={() => setRenaming(true)}>
            {t('sessions.rename')}
          </button>
          <button type="button" className="danger" onClick={remove}>
            {t('sessions.delete')}
          </button>
        </div>
      )}
      <SharePanel sessionId={s.id} />
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </>
  )
}
