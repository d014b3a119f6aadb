import { useState, type FormEvent } from 'react'
import type { PrefControls } from '../App'
import { api, must } from '../api/client'
import { storeLogin } from '../api/auth'
import { describe } from '../errors'
import { usePrefs } from '../i18n'
import { PrefPickers } from './Prefs'

export function AuthPage({ controls }: { controls: PrefControls }) {
  const { t } = usePrefs()
  const [mode, setMode] = useState<'signin' | 'signup'>('signin')
  const [phone, setPhone] = useState('')
  const [password, setPassword] = useState('')
  const [error, setError] = useState('')
  const [busy, setBusy] = useState(false)

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    setBusy(true)
    setError('')
    try {
      const body = { phoneNumber: phone, password }
      const r = mode === 'signin' ? await api.POST('/api/auth/login', { body }) : await api.POST('/api/auth/register', { body })
      storeLogin(must(r))
    } catch (err) {
      setError(describe(t, err))
    } finally {
      setBusy(false)
    }
  }

  return (
    <main className="auth" id="main">
      <div className="card auth-card">
        <div className="auth-head">
          <h1>{t('app.name')}</h1>
          <PrefPickers controls={controls} />
        </div>
        <p className="muted">{t('auth.tagline')}</p>
        <h2>{mode === 'signin' ? t('auth.signin') : t('auth.signup')}</h2>
        <form onSubmit={submit} className="stack">
          <label>
            {t('auth.phone')}
            <input name="phone" type="tel" autoComplete="username" required value={phone} onChange={(e) => setPhone(e.target.value)} placeholder="+60123456789" />
          </label>
          <label>
            {t('auth.password')}
            <input
              name="password"
              type="password"
              autoComplete={mode === 'signin' ? 'current-password' : 'new-password'}
              required
              minLength={8}
              maxLength={128}
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              aria-describedby="pw-hint"
            />
            <small id="pw-hint" className="muted">
              {t('auth.passwordHint')}
            </small>
          </label>
          {error && (
            <p role="alert" className="error">
              {error}
            </p>
          )}
          <button className="primary" type="submit" disabled={busy}>
            {mode === 'signin' ? t('auth.signin') : t('auth.signup')}
          </button>
        </form>
        <button className="link" type="button" onClick={() => setMode(mode === 'signin' ? 'signup' : 'signin')}>
          {mode === 'signin' ? t('auth.noAccount') : t('auth.haveAccount')}
        </button>
      </div>
    </main>
  )
}
