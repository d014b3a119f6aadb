import { usePrefs } from '../i18n'
import { timeZones } from '../prefs'
import { useSaveMe } from './saveMe'

// TimeZone sets the account's time zone (PATCH /api/me): every time the
// dashboard shows, and the server's detection and reminders, use it.
export function TimeZone() {
  const { t, timeZone, fmt } = usePrefs()
  const { err, saving, save } = useSaveMe()
  const change = (zone: string) => save({ timeZone: zone })
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
