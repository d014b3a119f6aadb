import type { PrefControls } from '../App'
import { usePrefs } from '../i18n'
import { timeZones } from '../prefs'

export function PrefPickers({ controls, withZone }: { controls: PrefControls; withZone?: boolean }) {
  const { t, lang, timeZone } = usePrefs()
  return (
    <div className="prefs">
      <label>
        <span className="sr-only">{t('pref.language')}</span>
        <select aria-label={t('pref.language')} value={lang} onChange={(e) => controls.setLang(e.target.value as 'en' | 'ms')}>
          <option value="en">English</option>
          <option value="ms">Bahasa Melayu</option>
        </select>
      </label>
      <label>
        <span className="sr-only">{t('pref.theme')}</span>
        <select aria-label={t('pref.theme')} value={controls.theme} onChange={(e) => controls.setTheme(e.target.value as 'light' | 'dark')}>
          <option value="light">{t('pref.light')}</option>
          <option value="dark">{t('pref.dark')}</option>
        </select>
      </label>
      {withZone && (
        <label>
          <span className="sr-only">{t('pref.timezone')}</span>
          <select aria-label={t('pref.timezone')} value={timeZone} onChange={(e) => controls.setTimeZone(e.target.value)}>
            {timeZones(timeZone).map((z) => (
              <option key={z} value={z}>
                {z}
              </option>
            ))}
          </select>
        </label>
      )}
    </div>
  )
}
