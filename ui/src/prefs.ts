import type { Lang } from './i18n'

export type Theme = 'light' | 'dark'

const get = (k: string) => localStorage.getItem('juta.' + k)
const set = (k: string, v: string) => localStorage.setItem('juta.' + k, v)

export function loadLang(): Lang {
  const l = get('lang')
  if (l === 'en' || l === 'ms') return l
  return navigator.language.toLowerCase().startsWith('ms') ? 'ms' : 'en'
}

export function loadTheme(): Theme {
  const t = get('theme')
  if (t === 'light' || t === 'dark') return t
  return matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light'
}

// zoneOf is the zone times are shown in: the account's own (GET /api/me),
// and only before sign-in, when no account is known, the browser's.
export function zoneOf(user: { timeZone?: string } | null): string {
  return user?.timeZone || Intl.DateTimeFormat().resolvedOptions().timeZone || 'Asia/Kuala_Lumpur'
}

export const savePref = set

// timeZones offers the browser's zones, with the user's own first.
export function timeZones(current: string): string[] {
  const all = (Intl as unknown as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf?.('timeZone') ?? []
  return [current, ...all.filter((z) => z !== current)]
}
