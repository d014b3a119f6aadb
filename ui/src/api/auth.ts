// Where tokens live (see the README's "Dashboard" section):
// - the access token only in memory, so it is gone with the tab;
// - the refresh token in localStorage, so a reload keeps the login. It is
//   rotating and single-use (a replayed one revokes the whole login), the page
//   runs under a Content-Security-Policy with no inline or foreign script, and
//   no cookie carries authority, so there is nothing for CSRF to ride on.
import type { components } from './schema'

export type AuthResponse = components['schemas']['AuthResponse']
export type User = components['schemas']['User']

const REFRESH_KEY = 'juta.refresh'
const USER_KEY = 'juta.user'

let access: { token: string; expiresAt: number } | null = null
let listeners: Array<(u: User | null) => void> = []

export function currentUser(): User | null {
  const raw = localStorage.getItem(USER_KEY)
  if (!raw || !localStorage.getItem(REFRESH_KEY)) return null
  try {
    return JSON.parse(raw) as User
  } catch {
    return null
  }
}

export function onAuthChange(fn: (u: User | null) => void): () => void {
  listeners.push(fn)
  return () => {
    listeners = listeners.filter((l) => l !== fn)
  }
}

export function storeLogin(r: AuthResponse): void {
  access = { token: r.token, expiresAt: Date.parse(r.expiresAt) }
  localStorage.setItem(REFRESH_KEY, r.refreshToken)
  localStorage.setItem(USER_KEY, JSON.stringify(r.user))
  listeners.forEach((l) => l(r.user))
}

// updateUser keeps the signed-in account current (its time zone changed
// here or on another device).
export function updateUser(u: User): void {
  if (!localStorage.getItem(REFRESH_KEY)) return
  localStorage.setItem(USER_KEY, JSON.stringify(u))
  listeners.forEach((l) => l(u))
}

export function clearLogin(): void {
  access = null
  localStorage.removeItem(REFRESH_KEY)
  localStorage.removeItem(USER_KEY)
  listeners.forEach((l) => l(null))
}

export function refreshToken(): string | null {
  return localStorage.getItem(REFRESH_KEY)
}

// An access token that is still good for 30 s, or null.
function freshAccess(now = Date.now()): string | null {
  return access && access.expiresAt - 30_000 > now ? access.token : null
}

let inflight: Promise<string | null> | null = null

// accessToken returns a usable access token, refreshing it with the rotating
// refresh token when needed. Tabs take a lock around the refresh so two of
// them never spend the same refresh token (which would revoke the login).
export async function accessToken(force = false): Promise<string | null> {
  if (!force) {
    const t = freshAccess()
    if (t) return t
  }
  if (!inflight) {
    inflight = withLock(() => doRefresh(force)).finally(() => {
      inflight = null
    })
  }
  return inflight
}

async function withLock<T>(fn: () => Promise<T>): Promise<T> {
  const locks = (navigator as Navigator & { locks?: LockManager }).locks
  return locks ? locks.request('juta-refresh', fn) : fn()
}

async function doRefresh(force: boolean): Promise<string | null> {
  if (!force) {
    const t = freshAccess()
    if (t) return t
  }
  const rt = refreshToken()
  if (!rt) return null
  const res = await fetch('/api/auth/refresh', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ refreshToken: rt }),
  })
  if (res.status === 401) {
    // Another tab may have rotated it while we waited for the lock.
    if (refreshToken() !== rt) return doRefresh(force)
    clearLogin()
    return null
  }
  if (!res.ok) throw new Error('refresh failed: ' + res.status)
  const body = (await res.json()) as AuthResponse
  storeLogin(body)
  return body.token
}
