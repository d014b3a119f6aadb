import { useState } from 'react'
import { updateUser } from '../api/auth'
import { api, must } from '../api/client'
import { describe } from '../errors'
import { usePrefs } from '../i18n'
import { timeZones } from '../prefs'

// TimeZone sets the account's time zone (PATCH /api/me): every time the
// dashboard shows, and the server's detection and reminders, use it.
export function TimeZone() {
  const { t, timeZone, fmt } = usePrefs()
  const [err, setErr] = useState('')
  const [saving, setSaving] = useState(false)
  const change = async (zone: string) => {
    setErr('')
    setSaving(true)
    try {
      updateUser(must(await api.PATCH('/api/me', { body: { timeZone: zone } })))
    } catch (x) {
      setErr(describe(t, x))
    } finally {
      setSaving(false)
    }
  }
  return (
    <div className="card stack">
      <h2 className="h3">{t('pref.timezone')}</h2>
      <label>
        {t('settings.zoneLabel')}
        <select value={timeZone} disabled={saving} onChange={(e) => void change(e.target.value)}>
          {timeZones(timeZone).map((z) => (
            <option key={z} value={z}>
              {z}
            </option>
          ))}
        </select>
      </label>
      <p className="muted small" data-testid="zone-now">
        {t('settings.zoneNow', { time: fmt(new Date().toISOString()) })}
      </p>
      {err && (
        <p role="alert" className="error">
          {err}
        </p>
      )}
    </div>
  )
}
