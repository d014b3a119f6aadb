import { useCallback, useEffect, useState, type FormEvent } from 'react'
import { api, must, type Schemas } from '../api/client'
import { describe } from '../errors'
import { usePrefs } from '../i18n'
import { Country } from './Country'
import { Deliveries } from './Deliveries'
import { Logins } from './Logins'
import { PrayerZone } from './PrayerZone'
import { TimeZone } from './TimeZone'

export default function SettingsPage() {
  const { t } = usePrefs()
  return (
    <section className="stack page" aria-labelledby="settings-h">
      <h1 id="settings-h">{t('settings.title')}</h1>
      <TimeZone />
      <PrayerZone />
      <Country />
      <Logins />
      <Keys />
      <Webhooks />
      <Password />
    </section>
  )
}

function useList<T>(load: () => Promise<T[]>) {
  const [items, setItems] = useState<T[] | null>(null)
  const [error, setError] = useState<unknown>(null)
  const reload = useCallback(async () => {
    try {
      setItems(await load())
      setError(null)
    } catch (e) {
      setError(e)
    }
  }, [load])
  useEffect(() => void reload(), [reload])
  return { items, error, reload }
}

const listKeys = async () => must(await api.GET('/api/keys')).items
const listHooks = async () => must(await api.GET('/api/webhooks')).items

function Keys() {
  const { t, fmt } = usePrefs()
  const { items, error, reload } = useList<Schemas['APIKey']>(listKeys)
  const [name, setName] = useState('')
  const [secret, setSecret] = useState('')
  const [err, setErr] = useState('')
  const create = async (e: FormEvent) => {
    e.preventDefault()
    setErr('')
    try {
      const k = must(await api.POST('/api/keys', { body: { name, scopes: ['read', 'send'] } }))
      setSecret(k.key)
      setName('')
      await reload()
    } catch (x) {
      setErr(describe(t, x))
    }
  }
  const revoke = async (id: number) => {
    try {
      must(await api.DELETE('/api/keys/{id}', { params: { path: { id } } }))
      await reload()
    } catch (x) {
      setErr(describe(t, x))
    }
  }
  return (
    <div className="card stack">
      <h2 className="h3">{t('settings.keys')}</h2>
      {error ? <p className="error">{describe(t, error)}</p> : null}
      <ul>
        {items?.map((k) => (
          <li key={k.id} className="row between">
            <span>
              {k.name} <code>{k.prefix}…</code> {k.scopes.join(', ')} {k.lastUsedAt && '· ' + fmt(k.lastUsedAt)}
            </span>
            <button type="button" onClick={() => void revoke(k.id)}>
              {t('settings.keyRevoke')}
            </button>
          </li>
        ))}
      </ul>
      {secret && (
        <p role="status">
          {t('settings.keyOnce')} <code>{secret}</code>{' '}
          <button type="button" onClick={() => void navigator.clipboard?.writeText(secret)}>
            {t('common.copy')}
          </button>
        </p>
      )}
      <form onSubmit={create} className="row wrap">
        <label>
          {t('settings.keyName')}
          <input required value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <button type="submit">{t('settings.keyCreate')}</button>
      </form>
      {err && (
        <p role="alert" className="error">
          {err}
        </p>
      )}
    </div>
  )
}

function Webhooks() {
  const { t } = usePrefs()
  const { items, error, reload } = useList<Schemas['Webhook']>(listHooks)
  const [url, setUrl] = useState('')
  const [secret, setSecret] = useState('')
  const [err, setErr] = useState('')
  const add = async (e: FormEvent) => {
    e.preventDefault()
    setErr('')
    try {
      const w = must(await api.POST('/api/webhooks', { body: { url } }))
      setSecret((w as { secret?: string }).secret ?? '')
      setUrl('')
      await reload()
    } catch (x) {
      setErr(describe(t, x))
    }
  }
  const remove = async (id: number) => {
    try {
      must(await api.DELETE('/api/webhooks/{id}', { params: { path: { id } } }))
      await reload()
    } catch (x) {
      setErr(describe(t, x))
    }
  }
  return (
    <div className="card stack">
      <h2 className="h3">{t('settings.webhooks')}</h2>
      {error ? <p className="error">{describe(t, error)}</p> : null}
      <ul>
        {items?.map((w) => (
          <li key={w.id} className="stack">
            <div className="row between">
              <span>
                {w.url} · {t('settings.webhookLag', { attempts: w.attempts ?? 0 })} {w.lastError && '· ' + w.lastError}
              </span>
              <button type="button" onClick={() => void remove(w.id)}>
                {t('common.delete')}
              </button>
            </div>
            <Deliveries webhookId={w.id} />
          </li>
        ))}
      </ul>
      {secret && <p role="status">{t('settings.webhookSecret', { secret })}</p>}
      <form onSubmit={add} className="row wrap">
        <label className="grow">
          {t('settings.webhookUrl')}
          <input type="url" required value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://example.com/hook" />
        </label>
        <button type="submit">{t('settings.webhookAdd')}</button>
      </form>
      {err && (
        <p role="alert" className="error">
          {err}
        </p>
      )}
    </div>
  )
}

function Password() {
  const { t } = usePrefs()
  const [cur, setCur] = useState('')
  const [next, setNext] = useState('')
  const [msg, setMsg] = useState('')
  const [err, setErr] = useState('')
  const submit = async (e: FormEvent) => {
    e.preventDefault()
    setErr('')
    setMsg('')
    try {
      must(await api.POST('/api/auth/password', { body: { currentPassword: cur, newPassword: next } }))
      setCur('')
      setNext('')
      setMsg(t('settings.passwordChanged'))
    } catch (x) {
      setErr(describe(t, x))
    }
  }
  return (
    <form onSubmit={submit} className="card stack">
      <h2 className="h3">{t('settings.password')}</h2>
      <label>
        {t('settings.currentPassword')}
        <input type="password" autoComplete="current-password" required value={cur} onChange={(e) => setCur(e.target.value)} />
      </label>
      <label>
        {t('settings.newPassword')}
        <input type="password" autoComplete="new-password" required minLength={8} maxLength={128} value={next} onChange={(e) => setNext(e.target.value)} />
      </label>
      <button type="submit">{t('common.save')}</button>
      {msg && <p role="status">{msg}</p>}
      {err && (
        <p role="alert" className="error">
          {err}
        </p>
      )}
    </form>
  )
}
