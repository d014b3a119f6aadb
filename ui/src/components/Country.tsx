import { useRef, useState, type FormEvent } from 'react'
import { currentUser } from '../api/auth'
import { usePrefs } from '../i18n'
import { useLoadMe, useSaveMe } from './saveMe'

// regionName names an ISO 3166-1 alpha-2 code in the dashboard's language
// ("MY" is "Malaysia"), or "" when the browser does not know it.
function regionName(lang: string, code: string): string {
  if (!/^[A-Za-z]{2}$/.test(code)) return ''
  try {
    return new Intl.DisplayNames([lang], { type: 'region' }).of(code.toUpperCase()) ?? ''
  } catch {
    return ''
  }
}

// Country sets whose holidays detection reads ("Thanksgiving" is in November
// in the US, in October in Canada, and no day in Malaysia): an ISO 3166-1
// alpha-2 code saved on the account (PATCH /api/me), which the server checks.
export function Country() {
  const { t, lang } = usePrefs()
  const [code, setCode] = useState(currentUser()?.country ?? 'MY')
  const [saved, setSaved] = useState(code)
  // Typed by the user: the account read afterwards must not overwrite it.
  const touched = useRef(false)
  const { err, saving, save } = useSaveMe()
  const loadErr = useLoadMe((me) => {
    if (!touched.current) setCode(me.country ?? 'MY')
    setSaved(me.country ?? 'MY')
  })
  const submit = async (e: FormEvent) => {
    e.preventDefault()
    const u = await save({ country: code.trim() })
    if (u?.country) {
      setCode(u.country)
      setSaved(u.country)
    }
  }
  const name = regionName(lang, code)
  return (
    <form className="card stack" onSubmit={(e) => void submit(e)}>
      <h2 className="h3">{t('settings.countryTitle')}</h2>
      <label>
        {t('settings.countryLabel')}
        <input
          value={code}
          maxLength={2}
          size={3}
          autoComplete="country"
          onChange={(e) => {
            touched.current = true
            setCode(e.target.value.toUpperCase())
          }}
        />
      </label>
      {name && (
        <p className="muted small" data-testid="country-name">
          {name}
        </p>
      )}
      <div>
        <button type="submit" disabled={saving || code === saved}>
          {t('settings.countrySave')}
        </button>
      </div>
      {(err || loadErr) && (
        <p role="alert" className="error">
          {err || loadErr}
        </p>
      )}
    </form>
  )
}
