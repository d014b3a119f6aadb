import { useCallback, useState, type FormEvent } from 'react'
import { api, must, type Schemas } from '../api/client'
import { describe } from '../errors'
import { usePrefs } from '../i18n'

// SharePanel lists, adds and revokes the session's shares (owner only). It
// loads when opened, not with the page.
export function SharePanel({ sessionId }: { sessionId: number }) {
  const { t } = usePrefs()
  const [shares, setShares] = useState<Schemas['Share'][] | null>(null)
  const [phone, setPhone] = useState('')
  const [role, setRole] = useState<'viewer' | 'agent'>('viewer')
  const [error, setError] = useState('')
  const path = { params: { path: { id: sessionId } } }

  const load = useCallback(async () => {
    try {
      setShares(must(await api.GET('/api/sessions/{id}/shares', { params: { path: { id: sessionId } } })).items)
    } catch (e) {
      setError(describe(t, e))
    }
  }, [sessionId, t])

  const add = async (e: FormEvent) => {
    e.preventDefault()
    setError('')
    try {
      must(await api.POST('/api/sessions/{id}/shares', { ...path, body: { phoneNumber: phone, role } }))
      setPhone('')
      await load()
    } catch (err) {
      setError(describe(t, err))
    }
  }
  const revoke = async (phoneNumber: string) => {
    try {
      must(await api.DELETE('/api/sessions/{id}/shares/{phoneNumber}', { params: { path: { id: sessionId, phoneNumber } } }))
      await load()
    } catch (e) {
      setError(describe(t, e))
    }
  }

  return (
    <details onToggle={(e) => e.currentTarget.open && shares === null && void load()}>
      <summary>{t('share.title')}</summary>
      <div className="stack">
        {shares !== null && shares.length === 0 && <p className="muted">{t('share.empty')}</p>}
        <ul>
          {shares?.map((s) => (
            <li key={s.phoneNumber} className="row between">
              <span>
                {s.phoneNumber} · {s.role === 'agent' ? t('share.agent') : t('share.viewer')}
              </span>
              <button type="button" onClick={() => void revoke(s.phoneNumber)}>
                {t('share.revoke')}
              </button>
            </li>
          ))}
        </ul>
        <form onSubmit={add} className="row wrap">
          <label>
            {t('share.phone')}
            <input type="tel" required value={phone} onChange={(e) => setPhone(e.target.value)} />
          </label>
          <label>
            {t('share.role')}
            <select value={role} onChange={(e) => setRole(e.target.value as 'viewer' | 'agent')}>
              <option value="viewer">{t('share.viewer')}</option>
              <option value="agent">{t('share.agent')}</option>
            </select>
          </label>
          <button type="submit">{t('share.add')}</button>
        </form>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
      </div>
    </details>
  )
}
