import type { PrefControls } from '../App'
import { usePrefs } from '../i18n'

export function PrefPickers({ controls }: { controls: PrefControls }) {
  const { t, lang } = usePrefs()
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
    </div>
  )
}
