import { describe, expect, it } from 'vitest'
import { dictionaries, formatTime, translate } from './i18n'

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()

describe('dictionaries', () => {
  it('have the same keys and placeholders in both languages', () => {
    const en = dictionaries.en
    const ms = dictionaries.ms
    expect(Object.keys(ms).sort()).toEqual(Object.keys(en).sort())
    for (const k of Object.keys(en) as Array<keyof typeof en>) {
      expect(placeholders(ms[k]), k).toEqual(placeholders(en[k]))
      expect(ms[k].trim(), k).not.toBe('')
    }
  })
  it('translate every Malay string except names and loanwords', () => {
    const same = new Set(['app.name', 'actions.filterStatus', 'settings.webhooks', 'msg.kind.video', 'msg.kind.audio'])
    const untranslated = Object.keys(dictionaries.en).filter(
      (k) => !same.has(k) && dictionaries.ms[k as keyof typeof dictionaries.ms] === dictionaries.en[k as keyof typeof dictionaries.en],
    )
    expect(untranslated).toEqual([])
  })
})

describe('translate', () => {
  it('fills placeholders', () => {
    expect(translate('ms', 'err.rate_limited', { seconds: 30 })).toBe('Terlalu banyak cubaan. Tunggu 30 saat dan cuba lagi.')
  })
})

describe('formatTime', () => {
  it('shows the time in the chosen zone', () => {
    const iso = '2026-12-07T01:30:00Z'
    expect(formatTime('en', 'Asia/Kuala_Lumpur', iso, false)).toMatch(/09:30/)
    expect(formatTime('en', 'Europe/London', iso, false)).toMatch(/01:30/)
    expect(formatTime('en', 'UTC', 'not a time')).toBe('')
  })
})
