import { useMemo, useState } from 'react'
import type { Action } from '../api/client'
import { flatten, groupByDueDay, type Row } from '../actions'
import { usePrefs, type Key } from '../i18n'
import { useLive } from '../live'
import { ActionDetail } from './ActionDetail'
import { ErrorBox } from './ErrorBox'
import { VirtualList } from './VirtualList'

const ROW = 64
const statuses = ['pending', 'accepted', 'done', 'dismissed'] as const
const types = ['meeting', 'reminder', 'payment', 'task', 'reply_needed'] as const

export function ActionsPage() {
  const { t, timeZone, fmt, lang } = usePrefs()
  const live = useLive()
  const [status, setStatus] = useState<string>('pending')
  const [type, setType] = useState<string>('')
  const [selected, setSelected] = useState<number | null>(null)

  const rows = useMemo(() => {
    const shown = live.actions.filter((a) => (!status || a.status === status) && (!type || a.type === type))
    return flatten(groupByDueDay(shown, timeZone, new Date()))
  }, [live.actions, status, type, timeZone])
  const current = live.actions.find((a) => a.id === selected)

  const dayLabel = (key: string) => {
    if (['overdue', 'today', 'tomorrow', 'none'].includes(key)) return t(('day.' + key) as Key)
    return new Intl.DateTimeFormat(lang === 'ms' ? 'ms-MY' : 'en-MY', { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long' }).format(
      new Date(key + 'T00:00:00Z'),
    )
  }
  const render = (r: Row) =>
    r.kind === 'head' ? (
      <h3 className="dayhead">
        {dayLabel(r.key)} <span className="muted">({r.count})</span>
      </h3>
    ) : (
      <ActionRow a={r.action} active={r.action.id === selected} onOpen={() => setSelected(r.action.id)} due={fmt(r.action.dueAt)} />
    )

  return (
    <section className="split" aria-labelledby="actions-h">
      <div className="pane">
        <div className="pane-head">
          <h1 id="actions-h">{t('actions.title')}</h1>
          <label>
            {t('actions.filterStatus')}
            <select value={status} onChange={(e) => setStatus(e.target.value)}>
              <option value="">{t('actions.all')}</option>
              {statuses.map((s) => (
                <option key={s} value={s}>
                  {t(('status.' + s) as Key)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('actions.filterType')}
            <select value={type} onChange={(e) => setType(e.target.value)}>
              <option value="">{t('actions.all')}</option>
              {types.map((s) => (
                <option key={s} value={s}>
                  {t(('type.' + s) as Key)}
                </option>
              ))}
            </select>
          </label>
        </div>
        {live.error ? (
          <ErrorBox error={live.error} retry={live.reload} />
        ) : !live.loaded && live.actions.length === 0 ? (
          <p className="muted">{t('common.loading')}</p>
        ) : rows.length === 0 ? (
          <p className="empty">{t('actions.empty')}</p>
        ) : (
          <VirtualList rows={rows} rowHeight={ROW} render={render} label={t('actions.count', { count: rows.length })} />
        )}
      </div>
      <div className="pane detail">{current ? <ActionDetail key={current.id} a={current} /> : <p className="muted">{t('actions.select')}</p>}</div>
    </section>
  )
}

function ActionRow({ a, active, onOpen, due }: { a: Action; active: boolean; onOpen: () => void; due: string }) {
  const { t } = usePrefs()
  return (
    <button type="button" className={'arow' + (active ? ' active' : '')} onClick={onOpen} aria-pressed={active} data-testid="action-row">
      <span className={'tag t-' + a.type}>{t(('type.' + a.type) as Key)}</span>
      <span className="atitle">{a.title}</span>
      <span className="muted small">
        {a.chat} {due && '· ' + due}
      </span>
    </button>
  )
}
