import createClient from 'openapi-fetch'
import type { paths, components } from './schema'
import { accessToken } from './auth'

export type Schemas = components['schemas']
export type Session = Schemas['Session']
export type Action = Schemas['Action']
export type Message = Schemas['Message']
export type Chat = Schemas['Chat']
export type Event = Schemas['Event']
export type Problem = Schemas['Problem']

// authFetch adds the access token and, on a 401, refreshes it once and
// retries, so an expired token never reaches the user as an error.
async function authFetch(input: Request): Promise<Response> {
  const retry = input.clone()
  const token = await accessToken()
  if (token) input.headers.set('authorization', 'Bearer ' + token)
  const res = await fetch(input)
  if (res.status !== 401 || !token) return res
  const fresh = await accessToken(true)
  if (!fresh) return res
  retry.headers.set('authorization', 'Bearer ' + fresh)
  return fetch(retry)
}

export const api = createClient<paths>({ baseUrl: '', fetch: authFetch })

// ApiError carries a problem document's stable code; the UI shows words for
// it (see i18n's err.* keys), never the code alone.
export class ApiError extends Error {
  constructor(
    public code: string,
    public status: number,
    public retryAfter?: number,
  ) {
    super(code)
  }
}

// must unwraps an openapi-fetch result: the data, or an ApiError.
export function must<T>(r: { data?: T; error?: unknown; response: Response }): T {
  if (r.error !== undefined || !r.response.ok) {
    const p = (r.error ?? {}) as Partial<Problem>
    const ra = Number(r.response.headers.get('retry-after'))
    throw new ApiError(p.code ?? 'internal', r.response.status, Number.isFinite(ra) && ra > 0 ? ra : undefined)
  }
  return r.data as T
}

// qrCode is the session's current linking code (the JSON form of the route,
// which also offers a PNG).
export async function qrCode(id: number): Promise<Schemas['QRCode']> {
  return must(await api.GET('/api/sessions/{id}/qr', { params: { path: { id } }, parseAs: 'json' })) as Schemas['QRCode']
}

// idempotencyKey is a fresh random key for a write that must not repeat
// (crypto.randomUUID exists only on secure origins; getRandomValues always).
export function idempotencyKey(): string {
  const b = crypto.getRandomValues(new Uint8Array(16))
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')
}
