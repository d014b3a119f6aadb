import { useEffect, useMemo, useState } from 'react'
import { currentUser, onAuthChange, type User } from './api/auth'
import { formatTime, PrefsContext, translate, type Lang, type Prefs } from './i18n'
import { loadLang, loadTheme, savePref, zoneOf, type Theme } from './prefs'
import { AuthPage } from './components/AuthPage'
import { Shell } from './components/Shell'

export interface PrefControls {
  theme: Theme
  setLang: (l: Lang) => void
  setTheme: (t: Theme) => void
}

export function App() {
  const [user, setUser] = useState<User | null>(currentUser)
  const [lang, setLangState] = useState<Lang>(loadLang)
  const [theme, setThemeState] = useState<Theme>(loadTheme)
  const timeZone = zoneOf(user)

  useEffect(() => onAuthChange(setUser), [])
  useEffect(() => {
    document.documentElement.lang = lang
  }, [lang])
  useEffect(() => {
    document.documentElement.dataset.theme = theme
  }, [theme])

  const prefs = useMemo<Prefs>(
    () => ({
      lang,
      timeZone,
      t: (k, v) => translate(lang, k, v),
      fmt: (iso, withDate) => formatTime(lang, timeZone, iso, withDate),
    }),
    [lang, timeZone],
  )
  const controls: PrefControls = {
    theme,
    setLang: (l) => {
      savePref('lang', l)
      setLangState(l)
    },
    setTheme: (t) => {
      savePref('theme', t)
      setThemeState(t)
    },
  }

  return (
    <PrefsContext.Provider value={prefs}>
      {user ? <Shell user={user} controls={controls} /> : <AuthPage controls={controls} />}
    </PrefsContext.Provider>
  )
}
