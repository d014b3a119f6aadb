import { useCallback, useEffect, useState } from 'react'
import { clearLogin, refreshToken } from '../api/auth'
import { api, must, type Schemas } from '../api/client'
import { describe } from '../errors'
import { usePrefs } from '../i18n'
import { navigate } from '../router'
import { ErrorBox } from './ErrorBox'

type Login = Schemas['Login']

// Logins lists the account's signed-in devices; each can be signed out, and
// "everywhere else" keeps only this one.
export function Logins() {
  const { t, fmt } = usePrefs()
  const [items, setItems] = useState<Login[] | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [err, setErr] = useState('')
  const [msg, setMsg] = useState('')
  const load = useCallback(async () => {
    try {
      setItems(must(await api.GET('/api/me/logins')).items)
      setError(null)
    } catch (e) {
      setError(e)
    }
  }, [])
  useEffect(() => void load(), [load])

  const signOut = async (l: Login) => {
    setErr('')
    setMsg('')
    try {
      if (l.current) {
        const rt = refreshToken()
        if (rt) await api.POST('/api/auth/logout', { body: { refreshToken: rt } })
        clearLogin()
        navigate('/')
        return
      }
      must(await api.DELETE('/api/me/logins/{id}', { params: { path: { id: l.id } } }))
      setMsg(t('logins.signedOut'))
      await load()
    } catch (x) {
      setErr(describe(t, x))
    }
  }
  const others = async () => {
    setErr('')
    setMsg('')
    try {
      const r = must(await api.POST('/api/me/logins/revoke-others'))
      setMsg(t('logins.othersSignedOut', { n: r.revoked }))
      await load()
    } catch (x) {
      setErr(describe(t, x))
    }
  }

  return (
    <div className="card stack" data-testid="logins">
      <h2 className="h3">{t('logins.title')}</h2>
      {error ? <ErrorBox error={error} retry={load} /> : null}
      {!items && !error && <p className="muted">{t('common.loading')}</p>}
      <ul>
        {items?.map((l) => (
          <li key={l.id} className="row between" data-testid="login-row" data-login-id={l.id} data-current={l.current || undefined}>
            <span>
              {l.client || t('logins.unknown')}
              {l.current && <strong> · {t('logins.thisDevice')}</strong>}
              <span className="muted small">
                {l.ip && ' · ' + t('logins.from', { ip: l.ip })}
                {' · '}
                {t('logins.since', { time: fmt(l.createdAt) })}
                {' · '}
                {t('logins.lastUsed', { time: fmt(l.lastUsedAt) })}
              </span>
            </span>
            <button type="button" onClick={() => void signOut(l)}>
              {t('logins.signOut')}
            </button>
          </li>
        ))}
      </ul>
      {items && items.length > 1 && (
        <button type="button" onClick={() => void others()}>
          {t('logins.signOutOthers')}
        </button>
      )}
      {msg && <p role="status">{msg}</p>}
      {err && (
        <p role="alert" className="error">
          {err}
        </p>
      )}
    </div>
  )
}
