import { ApiError } from './api/client'
import type { Key, T } from './i18n'

// describe turns any failure into words for the user.
export function describe(t: T, e: unknown): string {
  if (e instanceof ApiError) {
    return t(('err.' + e.code) as Key, { seconds: e.retryAfter ?? 60 })
  }
  return t('err.network')
}
