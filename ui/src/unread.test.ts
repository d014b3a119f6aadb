import { describe, expect, it } from 'vitest'
import { unreadLabel } from './components/unread'
import { zoneOf } from './prefs'

describe('unreadLabel', () => {
  it('shows counts up to 99 and caps the rest as the server does', () => {
    expect(unreadLabel(1)).toBe('1')
    expect(unreadLabel(99)).toBe('99')
    expect(unreadLabel(100)).toBe('99+')
  })
})

describe('zoneOf', () => {
  it("uses the account's zone, not the browser's", () => {
    const browser = Intl.DateTimeFormat().resolvedOptions().timeZone
    const other = browser === 'Pacific/Auckland' ? 'Europe/Lisbon' : 'Pacific/Auckland'
    expect(zoneOf({ timeZone: other })).toBe(other)
    expect(zoneOf(null)).toBe(browser || 'Asia/Kuala_Lumpur')
  })
})
