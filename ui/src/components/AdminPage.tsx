import { useCallback, useEffect, useState } from 'react'
import { api, must, type Schemas } from '../api/client'
import { duration } from '../duration'
import { usePrefs, type Key } from '../i18n'
import { Bars } from './Bars'
import { ErrorBox } from './ErrorBox'

const REFRESH_MS = 15_000

// AdminPage is the operators' view: the service at a glance and every
// session of every user. Other users get no page (the routes answer 404).
export default function AdminPage({ admin }: { admin: boolean }) {
  const { t } = usePrefs()
  return (
    <section className="stack page" aria-labelledby="admin-h">
      <h1 id="admin-h">{t('admin.title')}</h1>
      {admin ? (
        <>
          <Overview />
          <AdminSessions />
        </>
      ) : (
        <p className="empty" data-testid="admin-only">
          {t('admin.only')}
        </p>
      )}
    </section>
  )
}

function Tile({ label, value, testId, bad }: { label: string; value: string | number; testId?: string; bad?: boolean }) {
  return (
    <div className={'card' + (bad ? ' bad' : '')}>
      <span className="muted small">{label}</span>
      <strong data-testid={testId}>{value}</strong>
    </div>
  )
}

function Overview() {
  const { t, fmt } = usePrefs()
  const [st, setSt] = useState<Schemas['AdminStats'] | null>(null)
  const [error, setError] = useState<unknown>(null)
  const load = useCallback(async () => {
    try {
      setSt(must(await api.GET('/api/admin/stats')))
      setError(null)
    } catch (e) {
      setError(e)
    }
  }, [])
  useEffect(() => {
    void load()
    const timer = setInterval(() => void load(), REFRESH_MS)
    return () => clearInterval(timer)
  }, [load])

  if (error && !st) return <ErrorBox error={error} retry={load} />
  if (!st) return <p className="muted">{t('common.loading')}</p>
  const n = st.node
  const healthy = n.database === 'ok' && n.ready
  const w = st.webhooks
  return (
    <>
      {error ? <ErrorBox error={error} retry={load} /> : null}
      <div className="card stack" data-testid="node-health">
        <h2 className="h3">
          {t('admin.node', { node: n.node || '–' })}{' '}
          <span className={'pill ' + (healthy ? 'ok' : 'bad')} data-testid="node-status">
            {healthy ? t('admin.healthy') : t('admin.unhealthy')}
          </span>
        </h2>
        <div className="tiles">
          <Tile label={t('admin.database')} value={n.database === 'ok' ? t('admin.dbOk') : t('admin.dbDown')} bad={n.database !== 'ok'} />
          <Tile label={t('admin.ready')} value={n.ready ? t('admin.yes') : t('admin.no')} bad={!n.ready} />
          <Tile label={t('admin.actors')} value={n.activeUsers} />
          <Tile label={t('admin.inFlight')} value={n.inFlightRequests} />
          <Tile label={t('admin.held')} value={n.ingestHeld} bad={n.ingestHeld > 0} />
          <Tile label={t('monitor.uptime')} value={duration(t, n.uptimeSeconds)} />
        </div>
        <p className="muted small">{t('admin.updated', { time: fmt(st.generatedAt) })}</p>
      </div>
      <div className="tiles">
        <Tile label={t('admin.active')} value={st.users.active} testId="admin-active" />
        <Tile label={t('admin.resting')} value={st.users.resting} testId="admin-resting" />
        <Tile label={t('admin.disabled')} value={st.users.disabled} />
        <Tile label={t('admin.ingest')} value={t('admin.perMinute', { n: st.ingest.ratePerMinute.toFixed(1) })} testId="admin-ingest" />
        <Tile label={t('admin.lastHour')} value={st.ingest.lastHour} testId="admin-last-hour" />
      </div>
      <div className="tiles">
        <Tile label={t('admin.pending')} value={w.pendingEvents} testId="admin-pending" />
        <Tile label={t('admin.oldest')} value={duration(t, w.oldestPendingSeconds)} bad={w.oldestPendingSeconds > 300} />
        <Tile label={t('admin.delayP50')} value={duration(t, w.delayP50Seconds)} />
        <Tile label={t('admin.delayP99')} value={duration(t, w.delayP99Seconds)} />
        <Tile label={t('admin.delivered')} value={w.deliveredLastHour} />
        <Tile label={t('webhook.dead')} value={w.deadLetters} bad={w.deadLetters > 0} />
      </div>
      <div className="card">
        <Bars
          title={t('admin.ingestChart')}
          labels={st.ingest.perMinute.map((_, i) => t('admin.minutesAgo', { n: st.ingest.perMinute.length - 1 - i }))}
          series={[{ name: t('monitor.in'), values: st.ingest.perMinute, className: 's-in' }]}
        />
      </div>
      <div className="card">
        <table className="grid">
          <caption>{t('admin.byState')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('monitor.state')}</th>
              <th scope="col">{t('monitor.count')}</th>
            </tr>
          </thead>
          <tbody>
            {st.sessionsByState.map((c) => (
              <tr key={c.state}>
                <td className={'state-' + c.state}>{t(('state.' + c.state) as Key)}</td>
                <td>{c.count}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {st.sessionsByState.length === 0 && <p className="muted">{t('common.none')}</p>}
      </div>
    </>
  )
}

// AdminSessions is every session of every user.
function AdminSessions() {
  const { t, fmt } = usePrefs()
  const [items, setItems] = useState<Schemas['AdminSession'][] | null>(null)
  const [error, setError] = useState<unknown>(null)
  const load = useCallback(async () => {
    try {
      setItems(must(await api.GET('/api/admin/sessions', { params: { query: { limit: 200 } } })).items)
      setError(null)
    } catch (e) {
      setError(e)
    }
  }, [])
  useEffect(() => {
    void load()
    const timer = setInterval(() => void load(), REFRESH_MS)
    return () => clearInterval(timer)
  }, [load])
  return (
    <div className="card stack">
      <h2 className="h3">{t('monitor.allSessions')}</h2>
      {error ? <ErrorBox error={error} retry={load} /> : null}
      <div className="scroll-x">
        <table className="grid" data-testid="admin-sessions">
          <thead>
            <tr>
              <th scope="col">{t('monitor.owner')}</th>
              <th scope="col">{t('sessions.name')}</th>
              <th scope="col">{t('monitor.state')}</th>
              <th scope="col">{t('monitor.node')}</th>
              <th scope="col">{t('monitor.uptime')}</th>
              <th scope="col">{t('monitor.lastActivity')}</th>
              <th scope="col">{t('monitor.in')}</th>
              <th scope="col">{t('monitor.out')}</th>
            </tr>
          </thead>
          <tbody>
            {items?.map((s) => (
              <tr key={s.id}>
                <td>{s.ownerPhone}</td>
                <td>{s.name}</td>
                <td className={'state-' + s.state}>{t(('state.' + s.state) as Key)}</td>
                <td>{s.node ?? '–'}</td>
                <td>{duration(t, s.uptimeSeconds)}</td>
                <td>{fmt(s.lastActivityAt)}</td>
                <td>{s.messagesIn}</td>
                <td>{s.messagesOut}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {items && items.length === 0 && <p className="muted">{t('common.none')}</p>}
    </div>
  )
}
