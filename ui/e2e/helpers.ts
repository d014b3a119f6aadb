import type { Page } from 'playwright-core'
import { dictionaries } from '../src/i18n'
import { eventually } from './server'

export const PASSWORD = 'a long passphrase for e2e'

export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

// Api is a plain REST client of one user, for checks made outside the browser.
// One made by login signs in again when its short-lived token has expired.
export class Api {
  constructor(
    private base: string,
    public token = '',
    private phone = '',
  ) {}
  static async login(base: string, phone: string): Promise<Api> {
    return new Api(base, await loginToken(base, phone), phone)
  }
  async get(path: string): Promise<{ status: number; body: any }> {
    let r = await this.raw(path)
    if (r.status === 401 && this.phone) {
      this.token = await loginToken(this.base, this.phone)
      r = await this.raw(path)
    }
    return { status: r.status, body: await r.json().catch(() => null) }
  }
  // raw sends with the current token as it is, never signing in again.
  raw(path: string): Promise<Response> {
    return fetch(this.base + path, { headers: { authorization: 'Bearer ' + this.token } })
  }
  async count(path: string): Promise<number> {
    let n = 0
    let cursor = ''
    for (;;) {
      const r = await this.get(path + (path.includes('?') ? '&' : '?') + 'limit=200' + (cursor ? '&cursor=' + encodeURIComponent(cursor) : ''))
      if (r.status !== 200) throw new Error(path + ': ' + r.status)
      n += r.body.items.length
      cursor = r.body.nextCursor
      if (!cursor) return n
    }
  }
}

async function loginToken(base: string, phone: string): Promise<string> {
  const r = await fetch(base + '/api/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ phoneNumber: phone, password: PASSWORD }),
  })
  if (!r.ok) throw new Error('login ' + r.status)
  return ((await r.json()) as { token: string }).token
}

export async function simSend(base: string, from: string, to: string, text: string): Promise<void> {
  const r = await fetch(`${base}/sim/phones/${encodeURIComponent(from)}/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ to, text }),
  })
  if (!r.ok) throw new Error('sim send ' + r.status + ' ' + (await r.text()))
}

// A 1x1 PNG, as the simulated contact's photo.
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=='

export async function simSendPhoto(base: string, from: string, to: string, caption: string): Promise<void> {
  const r = await fetch(`${base}/sim/phones/${encodeURIComponent(from)}/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ to, text: caption, kind: 'image', mimeType: 'image/png', data: PNG }),
  })
  if (!r.ok) throw new Error('sim send photo ' + r.status + ' ' + (await r.text()))
}

// simSendContent sends any kind from a simulated contact: the body's kind,
// details and base64 data as the simulator's phone API takes them.
export async function simSendContent(base: string, from: string, to: string, body: Record<string, unknown>): Promise<void> {
  const r = await fetch(`${base}/sim/phones/${encodeURIComponent(from)}/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ to, ...body }),
  })
  if (!r.ok) throw new Error('sim send ' + r.status + ' ' + (await r.text()))
}

export interface InboxItem {
  from: string
  text: string
  id: string
  change?: string
  target?: string
  content?: { kind: string; mimeType?: string; size?: number; quote?: { waId: string } }
}

export async function simInbox(base: string, phone: string): Promise<InboxItem[]> {
  const r = await fetch(`${base}/sim/phones/${encodeURIComponent(phone)}/inbox`)
  return ((await r.json()) as { items: InboxItem[] | null }).items ?? []
}

export async function signUp(page: Page, base: string, phone: string): Promise<void> {
  await page.goto(base + '/')
  await page.getByRole('button', { name: 'I need an account' }).click()
  await page.getByLabel('Phone number').fill(phone)
  await page.getByLabel('Password').fill(PASSWORD)
  await page.getByRole('button', { name: 'Create account' }).click()
  await page.getByText('Signed in as ' + phone).waitFor()
}

export async function signIn(page: Page, base: string, phone: string): Promise<void> {
  await page.goto(base + '/')
  await page.getByLabel('Phone number').fill(phone)
  await page.getByLabel('Password').fill(PASSWORD)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.getByText('Signed in as ' + phone).waitFor()
}

export async function nav(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation').getByRole('link', { name }).click()
}

export async function streamLive(page: Page, word = 'Live'): Promise<void> {
  await eventually('stream ' + word, async () => (await page.getByTestId('stream').textContent()) === word)
}

// englishLeft lists English strings of the dashboard's dictionary that show
// on the page while it is in Malay.
export async function englishLeft(page: Page): Promise<string[]> {
  const text = await page.locator('body').innerText()
  const out: string[] = []
  for (const [k, en] of Object.entries(dictionaries.en)) {
    const ms = dictionaries.ms[k as keyof typeof dictionaries.ms]
    if (ms === en) continue
    const fragment = en
      .split(/\{\w+\}/)
      .map((s) => s.trim())
      .sort((a, b) => b.length - a.length)[0]
    if (fragment.length >= 5 && !ms.includes(fragment) && text.includes(fragment)) out.push(k + ': ' + fragment)
  }
  return out
}
