import { useCallback, useState } from 'react'
import { api, must, type Schemas } from '../api/client'
import { describe } from '../errors'
import { usePrefs } from '../i18n'

// Deliveries is a webhook's delivery log (dead letters by default), loaded
// when opened, with redelivery of one event.
export function Deliveries({ webhookId }: { webhookId: number }) {
  const { t, fmt } = usePrefs()
  const [status, setStatus] = useState<'dead' | 'queued' | 'delivered'>('dead')
  const [items, setItems] = useState<Schemas['WebhookDelivery'][] | null>(null)
  const [error, setError] = useState('')
  const load = useCallback(
    async (st = status) => {
      try {
        const path = { id: webhookId }
        setItems(must(await api.GET('/api/webhooks/{id}/deliveries', { params: { path, query: { status: st } } })).items)
        setError('')
      } catch (e) {
        setError(describe(t, e))
      }
    },
    [status, t, webhookId],
  )
  const redeliver = async (deliveryId: number) => {
    try {
      must(await api.POST('/api/webhooks/{id}/deliveries/{deliveryId}/redeliver', { params: { path: { id: webhookId, deliveryId } } }))
      await load()
    } catch (e) {
      setError(describe(t, e))
    }
  }
  return (
    <details onToggle={(e) => e.currentTarget.open && items === null && void load()}>
      <summary>{t('webhook.deliveries')}</summary>
      <label>
        {t('actions.filterStatus')}
        <select
          value={status}
          onChange={(e) => {
            const st = e.target.value as typeof status
            setStatus(st)
            void load(st)
          }}
        >
          <option value="dead">{t('webhook.dead')}</option>
          <option value="queued">{t('webhook.queued')}</option>
          <option value="delivered">{t('webhook.delivered')}</option>
        </select>
      </label>
      {items?.length === 0 && <p className="muted">{t('common.none')}</p>}
      <ul>
        {items?.map((d) => (
          <li key={d.id} className="row between">
            <span>
              #{d.cursor} {d.eventType} · {t('settings.webhookLag', { attempts: d.attempts })} {d.lastStatus ? '· HTTP ' + d.lastStatus : ''} · {fmt(d.updatedAt)}
            </span>
            {d.status === 'dead' && (
              <button type="button" onClick={() => void redeliver(d.id)}>
                {t('webhook.redeliver')}
              </button>
            )}
          </li>
        ))}
      </ul>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </details>
  )
}
