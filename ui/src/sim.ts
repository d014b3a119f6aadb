// The in-process simulator's phone API (served under /sim in demo mode). It
// is not part of the OpenAPI document: these are its only calls.
export interface InboxItem {
  from: string
  text: string
  id: string
  sentAt: string
}

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch('/sim' + path, {
    method,
    headers: body ? { 'content-type': 'application/json' } : undefined,
    body: body ? JSON.stringify(body) : undefined,
  })
  if (!res.ok) {
    const p = (await res.json().catch(() => ({}))) as { detail?: string }
    throw new Error(p.detail ?? String(res.status))
  }
  return (await res.json()) as T
}

const enc = encodeURIComponent

export const sim = {
  scan: (phone: string, qr: string) => call<{ device: string }>('POST', `/phones/${enc(phone)}/scan`, { qr }),
  send: (from: string, to: string, text: string) => call<unknown>('POST', `/phones/${enc(from)}/messages`, { to, text }),
  inbox: (phone: string) => call<{ items: InboxItem[] | null }>('GET', `/phones/${enc(phone)}/inbox`).then((r) => r.items ?? []),
}
