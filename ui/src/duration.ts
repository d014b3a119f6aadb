import type { T } from './i18n'

// duration says a number of seconds in seconds, minutes or hours.
export function duration(t: T, s: number | undefined | null): string {
  if (s === undefined || s === null) return '–'
  if (s < 90) return t('unit.seconds', { n: Math.round(s) })
  if (s < 5400) return t('unit.minutes', { n: Math.round(s / 60) })
  return t('unit.hours', { n: (s / 3600).toFixed(1) })
}
