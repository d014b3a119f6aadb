import { useState, type FormEvent } from 'react'
import { api, must, type Schemas } from '../api/client'
import { describe } from '../errors'
import { usePrefs } from '../i18n'
import { navigate } from '../router'

export default function AssistantPage() {
  const { t, fmt } = usePrefs()
  const [q, setQ] = useState('')
  const [answer, setAnswer] = useState<Schemas['Answer'] | null>(null)
  const [error, setError] = useState('')
  const [busy, setBusy] = useState(false)

  const ask = async (e: FormEvent) => {
    e.preventDefault()
    setBusy(true)
    setError('')
    try {
      setAnswer(must(await api.POST('/api/chat', { body: { message: q } })))
    } catch (err) {
      setError(describe(t, err))
    } finally {
      setBusy(false)
    }
  }
  return (
    <section className="stack page" aria-labelledby="assistant-h">
      <h1 id="assistant-h">{t('assistant.title')}</h1>
      <form onSubmit={ask} className="row wrap card">
        <label className="grow">
          {t('assistant.ask')}
          <input value={q} required onChange={(e) => setQ(e.target.value)} placeholder={t('assistant.placeholder')} />
        </label>
        <button type="submit" className="primary" disabled={busy}>
          {t('assistant.send')}
        </button>
      </form>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {answer && (
        <div className="card stack" aria-live="polite">
          <p className="answer">{answer.text}</p>
          {answer.citations.length > 0 && (
            <>
              <h2 className="h3">{t('assistant.cited')}</h2>
              <ul>
                {answer.citations.map((m) => (
                  <li key={m.id}>
                    <a
                      href={`/chats?session=${m.sessionId}&chat=${encodeURIComponent(m.chat)}&msg=${m.id}`}
                      onClick={(e) => {
                        e.preventDefault()
                        navigate(`/chats?session=${m.sessionId}&chat=${encodeURIComponent(m.chat)}&msg=${m.id}`)
                      }}
                    >
                      {m.chat} · {fmt(m.sentAt)}
                    </a>
                    : {m.text}
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}
    </section>
  )
}
