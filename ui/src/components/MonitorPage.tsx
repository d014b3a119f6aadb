import { useCallback, useEffect, useState } from 'react'
import { api, must, type Schemas } from '../api/client'
import { usePrefs, type Key } from '../i18n'
import { useLive } from '../live'
import { Bars } from './Bars'
import { ErrorBox } from './ErrorBox'

import { duration } from '../duration'

export default function MonitorPage() {
  const { t, timeZone, fmt } = usePrefs()
  const live = useLive()
  const [stats, setStats] = useState<Schemas['Stats'] | null>(null)
  const [error, setError] = useState<unknown>(null)
  const load = useCallback(async () => {
    try {
      setStats(must(await api.GET('/api/stats', { params: { query: { tz: timeZone } } })))
      setError(null)
    } catch (e) {
      setError(e)
    }
  }, [timeZone])
  useEffect(() => {
    void load()
    let timer: ReturnType<typeof setTimeout> | undefined
    // New messages and actions refresh the figures, at most every 5 s.
    const off = live.on((ev) => {
      if (timer || !/^(message|action\.)/.test(ev.type)) return
      timer = setTimeout(() => {
        timer = undefined
        void load()
      }, 5000)
    })
    return () => {
      off()
      clearTimeout(timer)
    }
  }, [load, live])

  const connected = live.sessions.filter((s) => s.state === 'connected').length
  return (
    <section className="stack page" aria-labelledby="monitor-h">
      <h1 id="monitor-h">{t('monitor.title')}</h1>
      {error ? <ErrorBox error={error} retry={load} /> : null}
      {!stats && !error && <p className="muted">{t('common.loading')}</p>}
      {stats && (
        <>
          <div className="tiles">
            <div className="card">
              <span className="muted small">{t('monitor.sessions')}</span>
              <strong data-testid="tile-sessions">
                {connected} / {live.sessions.length}
              </strong>
            </div>
            <div className="card">
              <span className="muted small">{t('monitor.replyMedian')}</span>
              <strong>{duration(t, stats.replyTime.medianSeconds)}</strong>
            </div>
            <div className="card">
              <span className="muted small">{t('monitor.replyP90')}</span>
              <strong>{duration(t, stats.replyTime.p90Seconds)}</strong>
            </div>
            <div className="card">
              <span className="muted small">{t('monitor.replies')}</span>
              <strong>{stats.replyTime.replies}</strong>
            </div>
          </div>
          <div className="card">
            <Bars
              title={t('monitor.perDay')}
              labels={stats.days.map((d) => fmt(d.start).split(',')[0])}
              series={[
                { name: t('monitor.in'), values: stats.days.map((d) => d.in), className: 's-in' },
                { name: t('monitor.out'), values: stats.days.map((d) => d.out), className: 's-out' },
              ]}
            />
          </div>
          <div className="card">
            <Bars
              title={t('monitor.perHour')}
              labels={stats.hours.map((h) => fmt(h.start))}
              series={[
                { name: t('monitor.in'), values: stats.hours.map((h) => h.in), className: 's-in' },
                { name: t('monitor.out'), values: stats.hours.map((h) => h.out), className: 's-out' },
              ]}
            />
          </div>
          <div className="card">
            <Bars
              title={t('monitor.busiest')}
              labels={stats.busiestHours.map((h) => String(h.hour).padStart(2, '0') + ':00')}
              series={[{ name: t('monitor.in'), values: stats.busiestHours.map((h) => h.messages), className: 's-in' }]}
            />
          </div>
          <div className="card">
            <table className="grid">
              <caption>{t('monitor.actions')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('actions.filterType')}</th>
                  <th scope="col">{t('actions.filterStatus')}</th>
                  <th scope="col">{t('monitor.count')}</th>
                </tr>
              </thead>
              <tbody>
                {stats.actions.map((a) => (
                  <tr key={a.type + a.status}>
                    <td>{t(('type.' + a.type) as Key)}</td>
                    <td>{t(('status.' + a.status) as Key)}</td>
                    <td>{a.count}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {stats.actions.length === 0 && <p className="muted">{t('common.none')}</p>}
          </div>
        </>
      )}
    </section>
  )
}

