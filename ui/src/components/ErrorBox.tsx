import { describe } from '../errors'
import { usePrefs } from '../i18n'

export function ErrorBox({ error, retry }: { error: unknown; retry?: () => void }) {
  const { t } = usePrefs()
  return (
    <div role="alert" className="error">
      {describe(t, error)}{' '}
      {retry && (
        <button type="button" onClick={retry}>
          {t('common.retry')}
        </button>
      )}
    </div>
  )
}
