// PlaceComposer sends a place: latitude and longitude (checked as typed),
// an optional name and address, or the device's own position when the
// browser may tell it ("use my location", the Geolocation API).
import { useState, type FormEvent } from 'react'
import { usePrefs } from '../i18n'
import { checkPlace, MAX_PLACE_TEXT } from '../compose'
import { useSendBody, type SendTarget } from './useSendBody'
import { KindFormFooter } from './KindFormFooter'

export function PlaceComposer({ target, close }: { target: SendTarget; close: () => void }) {
  const { t } = usePrefs()
  const [f, setF] = useState({ latitude: '', longitude: '', name: '', address: '' })
  const [locating, setLocating] = useState(false)
  const [shown, setShown] = useState(false)
  const { run, busy, error, setError } = useSendBody(target)
  const place = checkPlace(f)
  const problem = typeof place === 'string' ? place : null
  const set = (k: keyof typeof f) => (e: { target: { value: string } }) => setF({ ...f, [k]: e.target.value })

  const locate = () => {
    setError('')
    setLocating(true)
    navigator.geolocation.getCurrentPosition(
      (p) => {
        setLocating(false)
        setF((x) => ({ ...x, latitude: p.coords.latitude.toFixed(6), longitude: p.coords.longitude.toFixed(6) }))
      },
      (e) => {
        setLocating(false)
        setError(e.code === e.PERMISSION_DENIED ? t('place.denied') : t('place.unavailable'))
      },
      { enableHighAccuracy: true, timeout: 15_000, maximumAge: 60_000 },
    )
  }
  const send = async (e: FormEvent) => {
    e.preventDefault()
    setShown(true)
    if (typeof place === 'string') return
    if (await run((post) => post({ location: place }))) close()
  }

  return (
    <form className="panel kind-form" aria-label={t('place.title')} onSubmit={send} noValidate>
      <h3 className="small">{t('place.title')}</h3>
      <div className="row wrap">
        <label>
          {t('place.latitude')}
          <input inputMode="decimal" autoComplete="off" value={f.latitude} onChange={set('latitude')} aria-invalid={shown && problem === 'latitude'} required />
        </label>
        <label>
          {t('place.longitude')}
          <input inputMode="decimal" autoComplete="off" value={f.longitude} onChange={set('longitude')} aria-invalid={shown && problem === 'longitude'} required />
        </label>
        {'geolocation' in navigator && (
          <button type="button" onClick={locate} disabled={locating || busy}>
            {locating ? t('place.locating') : t('place.useMine')}
          </button>
        )}
      </div>
      <div className="row wrap">
        <label className="grow">
          {t('place.name')}
          <input value={f.name} maxLength={MAX_PLACE_TEXT} onChange={set('name')} />
        </label>
        <label className="grow">
          {t('place.address')}
          <input value={f.address} maxLength={MAX_PLACE_TEXT} onChange={set('address')} />
        </label>
      </div>
      {shown && problem && (
        <p role="alert" className="error">
          {t(('place.bad.' + problem) as 'place.bad.latitude')}
        </p>
      )}
      <KindFormFooter error={error} busy={busy} sendLabel={t('place.send')} close={close} />
    </form>
  )
}
