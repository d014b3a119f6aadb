import { describe, expect, it } from 'vitest'
import { duration } from './duration'
import { translate } from './i18n'

describe('duration', () => {
  const en = (k: Parameters<typeof translate>[1], v?: Record<string, string | number>) => translate('en', k, v)
  const ms = (k: Parameters<typeof translate>[1], v?: Record<string, string | number>) => translate('ms', k, v)
  it('picks the unit', () => {
    expect(duration(en, undefined)).toBe('–')
    expect(duration(en, 42.4)).toBe('42 s')
    expect(duration(en, 480)).toBe('8 min')
    expect(duration(en, 7200)).toBe('2.0 h')
    expect(duration(ms, 7200)).toBe('2.0 jam')
  })
})
