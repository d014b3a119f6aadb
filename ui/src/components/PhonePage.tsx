import { useState, type FormEvent } from 'react'
import { currentUser } from '../api/auth'
import { qrCode } from '../api/client'
import { usePrefs } from '../i18n'
import { useLive } from '../live'
import { sim, type InboxItem } from '../sim'

// PhonePage is the demo's simulated phone: it scans the QR code a session
// shows, writes to you as a contact, and shows what the contact received.
export default function PhonePage() {
  const { t, fmt } = usePrefs()
  const live = useLive()
  const [mine, setMine] = useState(currentUser()?.phoneNumber ?? '')
  const [contact, setContact] = useState('+60111111111')
  const [text, setText] = useState('')
  const [note, setNote] = useState('')
  const [error, setError] = useState('')
  const [inbox, setInbox] = useState<InboxItem[] | null>(null)

  const attempt = async (fn: () => Promise<string>) => {
    setNote('')
    setError('')
    try {
      setNote(await fn())
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e))
    }
  }
  const scan = () =>
    attempt(async () => {
      const waiting = live.sessions.find((s) => s.state === 'qr')
      if (!waiting) return t('phone.noQr')
      const qr = await qrCode(waiting.id)
      await sim.scan(mine, qr.qr)
      return t('phone.scanned')
    })
  const send = (e: FormEvent) => {
    e.preventDefault()
    void attempt(async () => {
      await sim.send(contact, mine, text)
      setText('')
      return t('phone.sent')
    })
  }
  const refresh = () =>
    attempt(async () => {
      setInbox(await sim.inbox(contact))
      return ''
    })

  return (
    <section className="stack page" aria-labelledby="phone-h">
      <h1 id="phone-h">{t('phone.title')}</h1>
      <p className="muted">{t('phone.intro')}</p>
      <div className="card stack">
        <label>
          {t('phone.yourNumber')}
          <input type="tel" value={mine} onChange={(e) => setMine(e.target.value)} />
        </label>
        <button type="button" className="primary" onClick={() => void scan()}>
          {t('phone.scan')}
        </button>
      </div>
      <form className="card stack" onSubmit={send}>
        <label>
          {t('phone.contact')}
          <input type="tel" value={contact} onChange={(e) => setContact(e.target.value)} />
        </label>
        <label>
          {t('phone.text')}
          <textarea rows={2} required value={text} onChange={(e) => setText(e.target.value)} />
        </label>
        <button type="submit" className="primary">
          {t('phone.send')}
        </button>
      </form>
      {note && <p role="status">{note}</p>}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <div className="card stack">
        <div className="row between">
          <h2 className="h3">{t('phone.inbox')}</h2>
          <button type="button" onClick={() => void refresh()}>
            {t('phone.refresh')}
          </button>
        </div>
        <ul data-testid="sim-inbox">
          {inbox?.map((m) => (
            <li key={m.id}>
              <strong>{m.from}</strong>: {m.text} <span className="muted small">{fmt(m.sentAt)}</span>
            </li>
          ))}
        </ul>
        {inbox && inbox.length === 0 && <p className="muted">{t('common.none')}</p>}
      </div>
    </section>
  )
}
