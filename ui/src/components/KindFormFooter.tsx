// KindFormFooter ends the place and contact-card forms: the send's error,
// then the button that sends and the one that closes the form.
import { usePrefs } from '../i18n'

export function KindFormFooter({ error, busy, sendLabel, close }: {
  error: string
  busy: boolean
  sendLabel: string
  close: () => void
}) {
  const { t } = usePrefs()
  return (
    <>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <div className="row">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t('compose.sending') : sendLabel}
        </button>
        <button type="button" onClick={close} disabled={busy}>
          {t('common.cancel')}
        </button>
      </div>
    </>
  )
}
