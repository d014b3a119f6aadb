import { useState } from 'react'
import { currentUser } from '../api/auth'
import { api, must, type Schemas } from '../api/client'
import { usePrefs } from '../i18n'
import { useLoadMe, useSaveMe } from './saveMe'

type Zone = Schemas['PrayerZoneItem']

// PrayerZone sets where detection reads prayer times ("lepas asar"): one of
// JAKIM's zones, listed by the server (GET /api/prayer-zones), saved on the
// account (PATCH /api/me).
export function PrayerZone() {
  const { t } = usePrefs()
  const [zones, setZones] = useState<Zone[]>([])
  const [zone, setZone] = useState(currentUser()?.prayerZone ?? 'WLY01')
  const { err, saving, save } = useSaveMe()
  const loadErr = useLoadMe(
    (me) => setZone(me.prayerZone ?? 'WLY01'),
    async () => setZones(must(await api.GET('/api/prayer-zones')).items),
  )
  const change = async (code: string) => {
    const u = await save({ prayerZone: code })
    if (u) setZone(u.prayerZone ?? code)
  }
  return (
    <div className="card stack">
      <h2 className="h3">{t('settings.prayerTitle')}</h2>
      <label>
        {t('settings.prayerLabel')}
        <select value={zone} disabled={saving || zones.length === 0} onChange={(e) => void change(e.target.value)}>
          {zones.map((z) => (
            <option key={z.code} value={z.code}>
              {z.code}: {z.area}
            </option>
          ))}
        </select>
      </label>
      {(err || loadErr) && (
        <p role="alert" className="error">
          {err || loadErr}
        </p>
      )}
    </div>
  )
}
