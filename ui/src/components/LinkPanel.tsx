import { useCallback, useEffect, useState, type FormEvent } from 'react'
import { api, ApiError, must, qrCode, type Session } from '../api/client'
import { describe } from '../errors'
import { usePrefs } from '../i18n'
import { useLive } from '../live'
import { QR } from './QR'

// LinkPanel shows the session's current QR code, fetched again whenever a
// session.qr event says it rotated (the event itself carries no code), with
// a countdown; or links by pairing code instead.
export function LinkPanel({ s }: { s: Session }) {
  const { t } = usePrefs()
  const live = useLive()
  const [qr, setQr] = useState<{ qr: string; expiresAt: string } | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [now, setNow] = useState(Date.now())
  const [pairPhone, setPairPhone] = useState('')
  const [pairCode, setPairCode] = useState('')

  const fetchQr = useCallback(async () => {
    try {
      setQr(await qrCode(s.id))
      setError(null)
    } catch (e) {
      if (e instanceof ApiError && e.code === 'invalid_state') setQr(null)
      else setError(e)
    }
  }, [s.id])

  useEffect(() => {
    void fetchQr()
    return live.on((ev) => {
      if (ev.type === 'session.qr' && ev.sessionId === s.id) void fetchQr()
    })
  }, [fetchQr, live, s.id])
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), 1000)
    return () => clearInterval(id)
  }, [])

  const pair = async (e: FormEvent) => {
    e.preventDefault()
    try {
      const r = must(await api.POST('/api/sessions/{id}/pair', { params: { path: { id: s.id } }, body: { phoneNumber: pairPhone } }))
      setPairCode(r.code)
    } catch (err) {
      setError(err)
    }
  }

  const left = qr ? Math.max(0, Math.round((Date.parse(qr.expiresAt) - now) / 1000)) : 0
  return (
    <div className="link-panel stack" data-testid="link-panel">
      <h3>{t('link.title', { name: s.name })}</h3>
      <p>{t('link.scan')}</p>
      {qr ? (
        <>
          <QR text={qr.qr} label={t('link.qrAlt')} />
          <p className="muted" aria-live="off">
            {t('link.expires', { seconds: left })}
          </p>
        </>
      ) : (
        <p className="muted">{t('link.waiting')}</p>
      )}
      <details>
        <summary>{t('link.pairInstead')}</summary>
        <form onSubmit={pair} className="row wrap">
          <label>
            {t('link.pairPhone')}
            <input type="tel" required value={pairPhone} onChange={(e) => setPairPhone(e.target.value)} placeholder="+60123456789" />
          </label>
          <button type="submit">{t('link.pairGet')}</button>
        </form>
        {pairCode && <p className="code">{t('link.pairCode', { code: pairCode })}</p>}
      </details>
      {error ? (
        <p role="alert" className="error">
          {describe(t, error)}
        </p>
      ) : null}
    </div>
  )
}
