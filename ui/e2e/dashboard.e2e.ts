// End to end: a real jutad (simulator mode, real PostgreSQL) driven through
// Debian's Chromium. One story, in order: sign up, link through the simulated
// phone, a contact writes, the action appears live, its edited reply reaches
// the contact; a dropped WebSocket resumes with nothing missed or repeated;
// a reload keeps the state; a second user sees nothing of the first; a viewer
// gets no QR; Malay has no English left; axe and screenshots on every page.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import AxeBuilder from '@axe-core/playwright'
import { chromium, type Browser, type BrowserContext, type Page, type Request, type Route, type WebSocketRoute } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Api, CHROMIUM_FLAGS, englishLeft, nav, PASSWORD, signIn, signUp, simInbox, simSend, simSendContent, simSendPhoto, streamLive } from './helpers'
import { artifacts, createAdmin, eventually, randomPhone, startJutad, type Jutad } from './server'

let srv: Jutad
let browser: Browser
const figures: Record<string, unknown> = {}

beforeAll(async () => {
  srv = await startJutad()
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_FLAGS, headless: true })
  mkdirSync(join(artifacts, 'screens'), { recursive: true })
})

afterAll(async () => {
  writeFileSync(join(artifacts, 'figures.json'), JSON.stringify(figures, null, 2))
  console.log('figures', JSON.stringify(figures))
  await browser?.close()
  await srv?.stop()
})

const PAGES = [
  ['actions', 'Actions'],
  ['chats', 'Chats'],
  ['sessions', 'WhatsApp accounts'],
  ['assistant', 'Assistant'],
  ['monitor', 'Monitoring'],
  ['settings', 'Settings'],
  ['phone', 'Simulated phone'],
  ['admin', 'Administration'],
] as const

describe('dashboard', () => {
  it('is typed from the OpenAPI document the server serves', async () => {
    const served = await (await fetch(srv.base + '/api/openapi.json')).json()
    const committed = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'openapi.json'), 'utf8'))
    expect(served, 'ui/openapi.json differs from the served document: run make ui').toEqual(committed)
  })

  const alice = randomPhone()
  const bob = randomPhone()
  const contact = randomPhone()
  let ctxA: BrowserContext
  let pageA: Page
  let apiA: Api
  let sessionId = 0
  const sockets: Array<{ page: WebSocketRoute; server: WebSocketRoute }> = []
  let blockSockets = false
  const pageProblems: string[] = []
  let refreshes = 0

  it('signs up and shows the page under its policy', async () => {
    ctxA = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    // Every WebSocket goes through here, so the test can drop it.
    await ctxA.routeWebSocket(/\/api\/ws/, (ws) => {
      if (blockSockets) return void ws.close({ code: 1011, reason: 'test drop' })
      sockets.push({ page: ws, server: ws.connectToServer() })
    })
    ctxA.on('request', (r) => r.url().endsWith('/api/auth/refresh') && refreshes++)
    pageA = await ctxA.newPage()
    pageA.on('console', (m) => m.type() === 'error' && pageProblems.push(m.text()))
    pageA.on('pageerror', (e) => pageProblems.push(String(e)))
    const res = await pageA.goto(srv.base + '/')
    const csp = res!.headers()['content-security-policy']
    expect(csp).toContain("script-src 'self'")
    expect(csp).not.toContain('unsafe-inline')
    await signUp(pageA, srv.base, alice)
    apiA = await Api.login(srv.base, alice)
    await streamLive(pageA)
  })

  it('links an account through the simulated phone', async () => {
    await nav(pageA, 'WhatsApp accounts')
    await pageA.getByText('No WhatsApp account linked yet').waitFor()
    await pageA.getByLabel('Name').fill('shop')
    await pageA.getByRole('button', { name: 'Link a new account' }).click()
    await pageA.getByRole('img', { name: 'QR code to link WhatsApp' }).waitFor()
    await pageA.getByText(/New code in \d+ s/).waitFor()
    const list = await apiA.get('/api/sessions')
    sessionId = list.body.items[0].id
    await nav(pageA, 'Simulated phone')
    await pageA.getByRole('button', { name: 'Scan the current QR code' }).click()
    await pageA.getByRole('status').getByText('Linked.').waitFor()
    await nav(pageA, 'WhatsApp accounts')
    await pageA.getByTestId('session-state').getByText('Connected').waitFor()
    expect(await pageA.locator('svg.qr').count()).toBe(0)
  })

  it('shows a contact message and its action live, and carries out the edited reply', async () => {
    await nav(pageA, 'Actions')
    await pageA.getByText('No actions').waitFor()
    await simSend(srv.base, contact, alice, 'Is the shop open on Sunday?')
    const row = pageA.getByTestId('action-row').filter({ hasText: 'Reply needed' })
    await row.first().waitFor()
    await row.first().click()
    const detail = pageA.getByTestId('action-detail')
    await detail.locator('blockquote').getByText('Is the shop open on Sunday?').waitFor()
    const reply = 'Yes, we open at ten on Sunday (e2e)'
    await detail.getByLabel('Reply to send').fill(reply)
    await detail.getByRole('button', { name: 'Send reply' }).click()
    await detail.getByText('Reply sent.').waitFor()
    await eventually('the reply in the contact inbox', async () => (await simInbox(srv.base, contact)).some((m) => m.text === reply))
    await nav(pageA, 'Chats')
    await pageA.locator('.chatlist button').first().click()
    await pageA.getByTestId('messages').getByText(reply).waitFor()
    await simSend(srv.base, contact, alice, 'Thanks, see you then (live)')
    await pageA.getByTestId('messages').getByText('Thanks, see you then (live)').waitFor()
    // A photo with a caption: its kind and caption show, and its file opens.
    await simSendPhoto(srv.base, contact, alice, 'dah bayar RM120 (slip)')
    const photo = pageA.getByTestId('messages').locator('li').filter({ hasText: 'dah bayar RM120 (slip)' })
    await photo.getByText('Photo').waitFor()
    await photo.locator('img.media').waitFor()
    expect(await photo.locator('img.media').getAttribute('src')).toMatch(/^blob:/)
    await eventually('the photo decoded', () => photo.locator('img.media').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth === 1))
  })

  it('resumes a dropped WebSocket with nothing missed or repeated', async () => {
    blockSockets = true
    for (const s of sockets.splice(0)) {
      await s.server.close()
      await s.page.close({ code: 1011, reason: 'test drop' })
    }
    await eventually('the stream to notice', async () => (await pageA.getByTestId('stream').textContent()) !== 'Live')
    const text = 'Can you deliver two boxes tomorrow at 3pm?'
    await simSend(srv.base, contact, alice, text)
    await eventually('the message stored', async () => {
      const r = await apiA.get(`/api/sessions/${sessionId}/messages?q=${encodeURIComponent('two boxes')}`)
      return r.body.items.length === 1
    })
    const pending = await eventually('its actions', async () => {
      const n = await apiA.count('/api/actions?status=pending')
      return n >= 1 ? n : 0
    })
    blockSockets = false
    await streamLive(pageA)
    await pageA.getByTestId('messages').getByText(text).waitFor()
    expect(await pageA.getByTestId('messages').getByText(text).count()).toBe(1)
    await nav(pageA, 'Actions')
    await eventually('every pending action once', async () => (await pageA.getByTestId('action-row').count()) === pending)
  })

  it('keeps the state across a reload, with a silently refreshed token', async () => {
    const before = await pageA.getByTestId('action-row').count()
    await pageA.reload()
    await pageA.getByText('Signed in as ' + alice).waitFor()
    await eventually('the inbox after reload', async () => (await pageA.getByTestId('action-row').count()) === before)
    expect(refreshes).toBeGreaterThan(0)
  })

  it('shows the user their own activity', async () => {
    await nav(pageA, 'Monitoring')
    await pageA.getByTestId('tile-sessions').getByText('1 / 1').waitFor()
    await pageA.getByRole('figure', { name: 'Messages per day, last 30 days' }).waitFor()
    const st = (await apiA.get('/api/stats?tz=UTC')).body
    expect(st.replyTime.replies).toBeGreaterThan(0)
    expect(st.days.reduce((n: number, d: { in: number }) => n + d.in, 0)).toBe(4) // three texts and the photo
  })

  it('shows a new API key once', async () => {
    await nav(pageA, 'Settings')
    await pageA.getByLabel('Key name').fill('reports')
    await pageA.getByRole('button', { name: 'Create key' }).click()
    const shown = pageA.getByRole('status').filter({ hasText: 'shown only once' })
    const secret = await shown.locator('code').textContent()
    expect(secret).toMatch(/^juta_/)
    await pageA.reload()
    await pageA.getByText('reports').waitFor()
    expect(await pageA.locator('body').innerText()).not.toContain(secret!)
  })

  it('counts unread messages live and clears them when the chat is opened', async () => {
    await nav(pageA, 'Actions')
    await simSend(srv.base, contact, alice, 'Are you open late today? (unread)')
    await eventually('the unread total in the navigation', async () => (await pageA.getByTestId('nav-unread').textContent()) === '1')
    await nav(pageA, 'Chats')
    const row = pageA.locator('.chatlist li').filter({ hasText: contact })
    await eventually("the chat's unread count", async () => (await row.getByTestId('chat-unread').textContent()) === '1')
    await pageA.screenshot({ path: join(artifacts, 'screens', 'chats-unread-light-en.png') })
    const { violations } = await new AxeBuilder({ page: pageA }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze()
    expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => 'chats with unread: ' + v.id)).toEqual([])
    await row.getByRole('button').click()
    await pageA.getByTestId('messages').getByText('Are you open late today? (unread)').waitFor()
    await eventually('the counts cleared', async () => (await pageA.getByTestId('nav-unread').count()) === 0 && (await row.getByTestId('chat-unread').count()) === 0)
    expect((await apiA.get('/api/unread')).body.total).toBe(0)
    // A message that arrives while its chat is open is read at once.
    await simSend(srv.base, contact, alice, 'Still there? (open)')
    await pageA.getByTestId('messages').getByText('Still there? (open)').waitFor()
    await eventually('read on arrival', async () => {
      const r = await apiA.get(`/api/sessions/${sessionId}/chats`)
      return r.body.items.find((c: { chat: string }) => c.chat === contact)?.unread === 0
    })
    expect(await pageA.getByTestId('nav-unread').count()).toBe(0)
  })

  // The composer sends what a shop owner sends: a real PNG drawn in the page
  // (so "decoded" means something), with a caption.
  it('sends a photo with a caption from the composer, once for two clicks at once, keeping the draft when it fails', async () => {
    await pageA.locator('.chatlist button').filter({ hasText: contact }).click()
    const composer = pageA.getByRole('form', { name: 'Write a message' })
    const png = await pageA.evaluate(async () => {
      const c = document.createElement('canvas')
      c.width = 40
      c.height = 30
      const g = c.getContext('2d')!
      g.fillStyle = '#0f6b63'
      g.fillRect(0, 0, 40, 30)
      const b = await new Promise<Blob>((resolve) => c.toBlob((x) => resolve(x!), 'image/png'))
      return Array.from(new Uint8Array(await b.arrayBuffer()))
    })
    await composer.getByLabel('Attach a photo, video, audio or document').setInputFiles({ name: 'slip.png', mimeType: 'image/png', buffer: Buffer.from(png) })
    await composer.getByTestId('attachment').getByRole('img', { name: 'Preview of slip.png' }).waitFor()
    const caption = 'Slip for order 42 (composer)'
    await composer.getByLabel('Caption').fill(caption)
    // The server refuses the file: its words show, and the draft stays.
    const refuse = (r: Route) =>
      r.fulfill({ status: 415, contentType: 'application/problem+json', body: JSON.stringify({ type: 'about:blank', title: 'Unsupported Media Type', status: 415, code: 'unsupported_media_type', detail: 'no' }) })
    await pageA.route('**/api/sessions/*/media', refuse)
    await composer.getByRole('button', { name: 'Send' }).click()
    await composer.getByRole('alert').getByText('WhatsApp does not take this type of file (image/png) as “Photo”').waitFor()
    expect(await composer.getByLabel('Caption').inputValue()).toBe(caption)
    expect(await composer.getByTestId('attachment').count()).toBe(1)
    await pageA.unroute('**/api/sessions/*/media', refuse)
    let uploads = 0
    const countUploads = (r: Request) => void (r.method() === 'POST' && /\/api\/sessions\/\d+\/media$/.test(r.url()) && uploads++)
    pageA.on('request', countUploads)
    // Two clicks in one tick, before the page can draw the button disabled.
    await composer.getByRole('button', { name: 'Send' }).evaluate((b: HTMLButtonElement) => {
      b.click()
      b.click()
    })
    const sent = pageA.getByTestId('messages').locator('li').filter({ hasText: caption })
    await sent.locator('img.media').waitFor()
    await eventually('the sent photo decoded', () => sent.locator('img.media').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth === 40))
    expect(await composer.getByTestId('attachment').count()).toBe(0)
    expect(await composer.getByLabel('Message').inputValue()).toBe('')
    await pageA.waitForLoadState('networkidle')
    pageA.off('request', countUploads)
    const got = (await simInbox(srv.base, contact)).filter((m) => m.text === caption)
    expect(got.map((m) => m.content?.kind)).toEqual(['image'])
    expect(got[0].content?.size).toBe(png.length)
    expect((await apiA.get(`/api/sessions/${sessionId}/messages?q=${encodeURIComponent(caption)}`)).body.items.length).toBe(1)
    expect(await sent.count()).toBe(1)
    expect(uploads).toBe(1)
  })

  it('sends a document larger than one request in parts, resuming after a part that fails', async () => {
    await pageA.locator('.chatlist button').filter({ hasText: contact }).click()
    const composer = pageA.getByRole('form', { name: 'Write a message' })
    const size = 20 * 1024 * 1024
    const pdf = Buffer.alloc(size, 0x41)
    pdf.write('%PDF-1.4\n', 0)
    await composer.getByLabel('Attach a photo, video, audio or document').setInputFiles({ name: 'laporan.pdf', mimeType: 'application/pdf', buffer: pdf })
    const caption = 'Laporan bulanan (in parts)'
    await composer.getByLabel('Caption').fill(caption)
    // The first part dies on the way; the page asks for the offset and goes on.
    let failed = 0
    let parts = 0
    const failOnce = async (r: Route) => {
      if (r.request().method() === 'PUT' && failed++ === 0) return r.abort('connectionreset')
      if (r.request().method() === 'PUT') parts++
      return r.continue()
    }
    await pageA.route('**/api/sessions/*/uploads/*', failOnce)
    let whole = 0
    const countWhole = (r: Request) => void (r.method() === 'POST' && /\/api\/sessions\/\d+\/media$/.test(r.url()) && whole++)
    pageA.on('request', countWhole)
    await composer.getByRole('button', { name: 'Send' }).click()
    const sent = pageA.getByTestId('messages').locator('li').filter({ hasText: caption })
    await sent.waitFor({ timeout: 120_000 })
    await pageA.unroute('**/api/sessions/*/uploads/*', failOnce)
    pageA.off('request', countWhole)
    expect(whole).toBe(0)
    expect(parts).toBe(5) // 20 MiB in parts of 4 MiB, the failed one sent again
    const got = (await simInbox(srv.base, contact)).filter((m) => m.text === caption)
    expect(got.map((m) => m.content?.kind)).toEqual(['document'])
    expect(got[0].content?.size).toBe(size)
  })

  it('sends a text once when its lost answer is retried, under the same Idempotency-Key', async () => {
    const composer = pageA.getByRole('form', { name: 'Write a message' })
    const text = 'Your order ships today (retried)'
    const keys: string[] = []
    let lose = true
    // The first send reaches the server, but its answer never reaches the page.
    const loseAnswer = async (r: Route) => {
      if (r.request().method() !== 'POST') return r.fallback()
      keys.push(r.request().headers()['idempotency-key'])
      if (!lose) return r.fallback()
      lose = false
      await r.fetch()
      await r.abort('connectionreset')
    }
    await pageA.route('**/api/sessions/*/messages', loseAnswer)
    await composer.getByLabel('Message').fill(text)
    await composer.getByRole('button', { name: 'Send' }).click()
    await composer.getByRole('alert').getByText('Cannot reach the server').waitFor()
    expect(await composer.getByLabel('Message').inputValue()).toBe(text)
    await composer.getByRole('button', { name: 'Send' }).click()
    await eventually('the draft cleared', async () => (await composer.getByLabel('Message').inputValue()) === '')
    await pageA.unroute('**/api/sessions/*/messages', loseAnswer)
    expect(keys.length).toBe(2)
    expect(keys[1]).toBe(keys[0])
    expect((await simInbox(srv.base, contact)).filter((m) => m.text === text).length).toBe(1)
    expect((await apiA.get(`/api/sessions/${sessionId}/messages?q=${encodeURIComponent(text)}`)).body.items.length).toBe(1)
    expect(await pageA.getByTestId('messages').locator('li').filter({ hasText: text }).count()).toBe(1)
  })

  it("checks WhatsApp's limits in the browser before anything is uploaded", async () => {
    const composer = pageA.getByRole('form', { name: 'Write a message' })
    let uploads = 0
    const countUploads = (r: Request) => void (r.method() === 'POST' && r.url().endsWith('/media') && uploads++)
    pageA.on('request', countUploads)
    await composer.getByLabel('Attach a photo, video, audio or document').setInputFiles({ name: 'big.webp', mimeType: 'image/webp', buffer: Buffer.alloc(600 * 1024, 1) })
    await composer.getByRole('alert').getByText('Too big for WhatsApp: at most 500 KB for this kind of file, and this one is 600 KB.').waitFor()
    expect(await composer.getByRole('button', { name: 'Send' }).isDisabled()).toBe(true)
    await composer.getByLabel('Send as').selectOption('document')
    await eventually('the file within its limit', async () => (await composer.getByRole('alert').count()) === 0)
    expect(await composer.getByRole('button', { name: 'Send' }).isEnabled()).toBe(true)
    await composer.getByRole('button', { name: 'Remove the file' }).click()
    expect(await composer.getByTestId('attachment').count()).toBe(0)
    // A file dropped on the conversation is attached the same way.
    const files = await pageA.evaluateHandle(() => {
      const d = new DataTransfer()
      d.items.add(new File(['delivery notes'], 'notes.txt', { type: 'text/plain' }))
      return d
    })
    await pageA.getByTestId('messages').dispatchEvent('dragover', { dataTransfer: files })
    await pageA.getByText('Drop the file to attach it').waitFor()
    await pageA.getByTestId('messages').dispatchEvent('drop', { dataTransfer: files })
    await composer.getByTestId('attachment').getByText('notes.txt').waitFor()
    expect(await pageA.getByText('Drop the file to attach it').count()).toBe(0)
    await composer.getByRole('button', { name: 'Remove the file' }).click()
    pageA.off('request', countUploads)
    expect(uploads).toBe(0)
  })

  it('shows a document as a card and downloads its bytes, a place with a map link and a contact card with its number', async () => {
    const bytes = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7) % 256))
    await simSendContent(srv.base, contact, alice, { text: '', kind: 'document', fileName: 'price-list.pdf', mimeType: 'application/pdf', data: bytes.toString('base64') })
    const card = pageA.getByTestId('messages').getByTestId('document').filter({ hasText: 'price-list.pdf' })
    await card.getByText('2.9 KB · application/pdf').waitFor()
    // A failed fetch says so and offers to try again.
    const refuse = (r: Route) =>
      r.fulfill({ status: 409, contentType: 'application/problem+json', body: JSON.stringify({ type: 'about:blank', title: 'Conflict', status: 409, code: 'invalid_state', detail: 'offline' }) })
    await pageA.route('**/api/sessions/*/messages/*/media', refuse)
    await card.getByRole('button', { name: 'Download price-list.pdf' }).click()
    await card.getByRole('alert').getByText('The file could not be fetched').waitFor()
    await pageA.unroute('**/api/sessions/*/messages/*/media', refuse)
    const [download] = await Promise.all([pageA.waitForEvent('download'), card.getByRole('button', { name: 'Try again' }).click()])
    expect(download.suggestedFilename()).toBe('price-list.pdf')
    expect(readFileSync(await download.path())).toEqual(bytes)

    await simSendContent(srv.base, contact, alice, { text: '', kind: 'location', location: { latitude: 3.1579, longitude: 101.7116, name: 'KLCC' } })
    const place = pageA.getByTestId('messages').locator('li').filter({ hasText: 'KLCC' })
    await place.getByText('3.15790, 101.71160').waitFor()
    expect(await place.getByRole('link', { name: 'Open in a map' }).getAttribute('href')).toBe('https://www.openstreetmap.org/?mlat=3.1579&mlon=101.7116#map=17/3.1579/101.7116')

    const vcard = 'BEGIN:VCARD\nVERSION:3.0\nFN:Siti Courier\nTEL;type=CELL;waid=60198887777:+60 19-888 7777\nEND:VCARD'
    await simSendContent(srv.base, contact, alice, { text: '', kind: 'contact', contacts: [{ displayName: 'Siti Courier', vcard }] })
    const person = pageA.getByTestId('messages').locator('li').filter({ hasText: 'Siti Courier' })
    expect(await person.getByRole('link', { name: '+60 19-888 7777' }).getAttribute('href')).toBe('tel:+60198887777')
  })

  it('replies quoting a message, reacts to it, and edits and deletes its own reply', async () => {
    const msgs = pageA.getByTestId('messages')
    const quoted = 'Still there? (open)'
    const target = pageA.locator('#' + (await msgs.locator('li').filter({ hasText: quoted }).first().getAttribute('id')))
    const composer = pageA.getByRole('form', { name: 'Write a message' })
    await target.getByRole('button', { name: 'Message options' }).click()
    await target.getByRole('button', { name: 'Reply to this' }).click()
    await composer.getByTestId('quoting').getByText(quoted).waitFor()
    const text = 'Yes, still here (reply)'
    await composer.getByLabel('Message').fill(text)
    await composer.getByRole('button', { name: 'Send' }).click()
    const first = msgs.locator('li').filter({ hasText: text })
    await first.getByTestId('quoted').getByText(quoted).waitFor()
    const reply = pageA.locator('#' + (await first.getAttribute('id')))
    // The reply may arrive live before its answer: the quote leaves the composer with the answer.
    await eventually('the quote cleared from the composer', async () => (await composer.getByTestId('quoting').count()) === 0)
    const atContact = await eventually('the reply at the contact', async () => (await simInbox(srv.base, contact)).find((m) => m.text === text))
    expect(atContact.content?.quote?.waId).toBeTruthy()

    await target.getByRole('button', { name: 'Message options' }).click()
    await target.getByRole('button', { name: 'React with 👍' }).click()
    await target.locator('.reactions').getByText('👍').waitFor()

    await reply.getByRole('button', { name: 'Message options' }).click()
    await reply.getByRole('button', { name: 'Edit' }).click()
    await reply.getByLabel('New text of the message').fill('Yes, here until six (edited)')
    await reply.getByRole('button', { name: 'Save' }).click()
    await reply.locator('.msg-text').getByText('Yes, here until six (edited)').waitFor()
    expect(await reply.innerText()).toContain('edited')

    let asked = ''
    pageA.once('dialog', (d) => {
      asked = d.message()
      void d.accept()
    })
    await reply.getByRole('button', { name: 'Message options' }).click()
    await reply.getByRole('button', { name: 'Delete for everyone' }).click()
    await reply.getByText('This message was deleted').waitFor()
    expect(asked).toBe('Delete this message for everyone in the chat?')
    await eventually('the delete at the contact', async () => (await simInbox(srv.base, contact)).some((m) => m.change === 'delete'))
    await target.getByRole('button', { name: 'Message options' }).click()
    await pageA.screenshot({ path: join(artifacts, 'screens', 'chat-kinds-light-en.png') })
    const { violations } = await new AxeBuilder({ page: pageA }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze()
    expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `conversation: ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([])
    // In Malay, with the menu open: no English left but the messages' own
    // words (this chat's messages say "(unread)").
    await pageA.getByLabel('Language').selectOption('ms')
    try {
      await pageA.getByRole('form', { name: 'Tulis mesej' }).waitFor()
      expect((await englishLeft(pageA)).filter((k) => k !== 'chats.unread: unread')).toEqual([])
    } finally {
      await pageA.getByLabel('Bahasa').selectOption('en')
    }
  })

  it("shows times in the account's time zone, set from Settings", async () => {
    const shown = async () => {
      await nav(pageA, 'Chats')
      await pageA.locator('.chatlist button').filter({ hasText: contact }).click()
      const stamp = pageA.getByTestId('messages').locator('time').first()
      await stamp.waitFor()
      return { iso: (await stamp.getAttribute('datetime'))!, text: (await stamp.textContent())! }
    }
    const inZone = (iso: string, zone: string) =>
      pageA.evaluate(([i, z]) => new Intl.DateTimeFormat('en-MY', { timeZone: z, hour: '2-digit', minute: '2-digit' }).format(new Date(i)), [iso, zone])
    const zone0 = (await apiA.get('/api/me')).body.timeZone as string
    const before = await shown()
    expect(before.text).toBe(await inZone(before.iso, zone0))
    const zone1 = zone0 === 'America/New_York' ? 'Asia/Tokyo' : 'America/New_York'
    await nav(pageA, 'Settings')
    await pageA.getByLabel('Times are shown in').selectOption(zone1)
    await eventually('the zone saved', async () => (await apiA.get('/api/me')).body.timeZone === zone1)
    const after = await shown()
    expect(after.iso).toBe(before.iso)
    expect(after.text).toBe(await inZone(after.iso, zone1))
    expect(after.text).not.toBe(before.text)
    // The zone is the account's: a reload shows it again, whatever the browser's.
    await pageA.reload()
    await pageA.getByTestId('messages').locator('time').first().waitFor()
    expect(await pageA.getByTestId('messages').locator('time').first().textContent()).toBe(after.text)
    await nav(pageA, 'Settings')
    await pageA.getByLabel('Times are shown in').selectOption(zone0)
    await eventually('the zone restored', async () => (await apiA.get('/api/me')).body.timeZone === zone0)
  })

  it('sets where prayer times are read from Settings, among the zones the server lists', async () => {
    expect((await apiA.get('/api/me')).body.prayerZone).toBe('WLY01')
    await nav(pageA, 'Settings')
    const select = pageA.getByLabel('at the prayer times of')
    await pageA.locator('option[value="SBH07"]').waitFor({ state: 'attached' })
    expect(await select.inputValue()).toBe('WLY01')
    await select.selectOption('SBH07')
    await eventually('the prayer zone saved', async () => (await apiA.get('/api/me')).body.prayerZone === 'SBH07')
    await pageA.reload()
    await pageA.locator('option[value="SBH07"]').waitFor({ state: 'attached' })
    expect(await pageA.getByLabel('at the prayer times of').inputValue()).toBe('SBH07')
    await pageA.getByLabel('at the prayer times of').selectOption('WLY01')
    await eventually('the prayer zone restored', async () => (await apiA.get('/api/me')).body.prayerZone === 'WLY01')
  })

  it('sets the country whose holidays are read from Settings; the server refuses an unknown code', async () => {
    expect((await apiA.get('/api/me')).body.country).toBe('MY')
    await nav(pageA, 'Settings')
    const input = pageA.getByLabel('Read holiday names as they are kept in the country')
    await eventually('the country loaded', async () => (await input.inputValue()) === 'MY')
    await input.fill('XX')
    await pageA.getByRole('button', { name: 'Save country' }).click()
    await pageA.getByRole('alert').filter({ hasText: 'is not valid' }).waitFor()
    expect((await apiA.get('/api/me')).body.country).toBe('MY')
    await input.fill('us')
    await pageA.getByRole('button', { name: 'Save country' }).click()
    await eventually('the country saved', async () => (await apiA.get('/api/me')).body.country === 'US')
    await pageA.reload()
    const again = pageA.getByLabel('Read holiday names as they are kept in the country')
    await eventually('the country read back', async () => (await again.inputValue()) === 'US')
    expect(await pageA.getByTestId('country-name').textContent()).toBe('United States')
    await again.fill('MY')
    await pageA.getByRole('button', { name: 'Save country' }).click()
    await eventually('the country restored', async () => (await apiA.get('/api/me')).body.country === 'MY')
  })

  it('signs a browser out when its login is revoked from another', async () => {
    const ctxL = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    const pageL = await ctxL.newPage()
    await signIn(pageL, srv.base, alice)
    await streamLive(pageL)
    await nav(pageL, 'Settings')
    const id = await pageL.locator('[data-testid="login-row"][data-current]').getAttribute('data-login-id')
    await pageA.goto(srv.base + '/settings')
    const row = pageA.locator(`[data-testid="login-row"][data-login-id="${id}"]`)
    expect(await row.innerText()).not.toContain('This device')
    await row.getByRole('button', { name: 'Sign out this device' }).click()
    await pageA.getByRole('status').getByText('That device is signed out.').waitFor()
    await pageL.getByRole('button', { name: 'Sign in' }).waitFor()
    expect(await pageL.evaluate(() => localStorage.getItem('juta.refresh'))).toBeNull()
    await ctxL.close()
    // Everywhere else: a REST client's fresh login ends, this browser stays in.
    const other = await Api.login(srv.base, alice)
    expect((await other.raw('/api/me')).status).toBe(200)
    await pageA.getByRole('button', { name: 'Sign out everywhere else' }).click()
    await pageA.getByRole('status').getByText(/Signed out of \d+ other devices/).waitFor()
    expect((await other.raw('/api/me')).status).toBe(401)
    await eventually('only this login listed', async () => (await pageA.getByTestId('login-row').count()) === 1)
    await pageA.reload()
    await pageA.getByText('Signed in as ' + alice).waitFor()
    await streamLive(pageA)
  })

  it('shows administrators the service at a glance, and no one else', async () => {
    expect(await pageA.getByRole('navigation').getByRole('link', { name: 'Administration' }).count()).toBe(0)
    await pageA.goto(srv.base + '/admin')
    await pageA.getByTestId('admin-only').waitFor()
    expect((await apiA.get('/api/admin/stats')).status).toBe(404)

    const root = randomPhone()
    await createAdmin(root, PASSWORD)
    const ctxR = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    const pageR = await ctxR.newPage()
    await signIn(pageR, srv.base, root)
    await nav(pageR, 'Administration')
    await pageR.getByTestId('node-status').getByText('Healthy').waitFor()
    await pageR.getByTestId('admin-sessions').getByText(alice).first().waitFor()
    const st = (await (await Api.login(srv.base, root)).get('/api/admin/stats')).body
    expect(st.ingest.lastHour).toBeGreaterThan(0)
    expect(st.users.active).toBeGreaterThan(0)
    expect(Number(await pageR.getByTestId('admin-last-hour').textContent())).toBeGreaterThan(0)
    expect(Number(await pageR.getByTestId('admin-active').textContent())).toBeGreaterThan(0)
    figures.adminStats = { users: st.users, ingestLastHour: st.ingest.lastHour, webhooks: st.webhooks, node: st.node }
    for (const theme of ['light', 'dark']) {
      await pageR.getByLabel('Theme').selectOption(theme)
      await pageR.screenshot({ path: join(artifacts, 'screens', `admin-overview-${theme}-en.png`), fullPage: true })
      const { violations } = await new AxeBuilder({ page: pageR }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze()
      expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `admin/${theme}: ${v.id}`)).toEqual([])
    }
    await pageR.getByLabel('Language').selectOption('ms')
    await pageR.getByTestId('node-status').getByText('Sihat').waitFor()
    expect(await englishLeft(pageR)).toEqual([])
    await pageR.screenshot({ path: join(artifacts, 'screens', 'admin-overview-dark-ms.png'), fullPage: true })
    await ctxR.close()
  })

  it('keeps two users apart, and shows a viewer no QR code', async () => {
    const ctxB = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    const pageB = await ctxB.newPage()
    await signUp(pageB, srv.base, bob)
    const apiB = await Api.login(srv.base, bob)
    await pageB.getByText('No actions').waitFor()
    expect(await pageB.locator('body').innerText()).not.toContain('Sunday')
    expect((await apiB.get(`/api/sessions/${sessionId}`)).status).toBe(404)
    expect((await apiB.get('/api/actions')).body.items).toEqual([])
    await nav(pageB, 'WhatsApp accounts')
    await pageB.getByText('No WhatsApp account linked yet').waitFor()

    // Alice links a second account and shares it with Bob as a viewer.
    await nav(pageA, 'WhatsApp accounts')
    await pageA.getByLabel('Name').first().fill('second')
    await pageA.getByRole('button', { name: 'Link a new account' }).click()
    const card = pageA.getByTestId('session-card').filter({ hasText: 'second' })
    await card.getByRole('img', { name: 'QR code to link WhatsApp' }).waitFor()
    await card.getByText('Sharing').click()
    await card.getByLabel('Phone number to share with').fill(bob)
    await card.getByLabel('Role').selectOption('viewer')
    await card.getByRole('button', { name: 'Share', exact: true }).click()
    await card.getByText(bob).waitFor()
    const second = (await apiA.get('/api/sessions')).body.items.find((s: { name: string }) => s.name === 'second')

    await pageB.reload()
    await pageB.getByTestId('shared-card').getByText('second').waitFor()
    expect(await pageB.locator('svg.qr').count()).toBe(0)
    expect((await apiB.get(`/api/sessions/${second.id}/qr`)).status).toBe(403)
    await ctxB.close()
  })

  it('leaves no English on the Malay pages', async () => {
    await pageA.getByLabel('Language').selectOption('ms')
    for (const [path] of PAGES) {
      await pageA.goto(srv.base + '/' + path)
      await pageA.locator('main h1').first().waitFor()
      await pageA.waitForLoadState('networkidle')
      expect(await englishLeft(pageA), path).toEqual([])
    }
    await pageA.getByLabel('Bahasa').selectOption('en')
  })

  // One test per theme and language: screenshots of every page in each,
  // axe on every page in both themes (the words do not change the markup).
  for (const theme of ['light', 'dark']) {
    for (const lang of ['en', 'ms']) {
      it(`shows every page in ${theme} ${lang}${lang === 'en' ? ', passing axe' : ''}`, async () => {
        await pageA.evaluate(
          ([t, l]) => {
            localStorage.setItem('juta.theme', t)
            localStorage.setItem('juta.lang', l)
          },
          [theme, lang],
        )
        for (const [path] of PAGES) {
          await pageA.goto(srv.base + '/' + path)
          await pageA.locator('main h1').first().waitFor()
          await eventually('page loaded', async () => (await pageA.locator('main .muted', { hasText: /Loading|Memuatkan/ }).count()) === 0)
          await pageA.screenshot({ path: join(artifacts, 'screens', `${path}-${theme}-${lang}.png`), fullPage: true })
          if (lang === 'en') {
            const { violations } = await new AxeBuilder({ page: pageA }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze()
            const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
            expect(bad.map((v) => `${path}/${theme}: ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([])
          }
        }
      })
    }
  }

  it('passes axe on the sign-in page at phone size', async () => {
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 } })
    const p = await phone.newPage()
    await p.goto(srv.base + '/')
    await p.getByRole('button', { name: 'Sign in' }).waitFor()
    await p.screenshot({ path: join(artifacts, 'screens', 'signin-phone.png') })
    const { violations } = await new AxeBuilder({ page: p }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze()
    expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([])
    await phone.close()
  })

  it('opens an inbox of 1,000 actions with a virtualised list', async () => {
    const carol = randomPhone()
    const r = await fetch(srv.base + '/api/auth/register', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ phoneNumber: carol, password: PASSWORD }),
    })
    const apiC = new Api(srv.base, ((await r.json()) as { token: string }).token)
    const created = await fetch(srv.base + '/api/sessions', {
      method: 'POST',
      headers: { authorization: 'Bearer ' + apiC.token, 'content-type': 'application/json' },
      body: '{"name":"busy"}',
    })
    const sid = ((await created.json()) as { id: number }).id
    const qr = await eventually('a QR code', async () => {
      const q = await apiC.get(`/api/sessions/${sid}/qr`)
      return q.status === 200 ? (q.body.qr as string) : ''
    })
    const scan = await fetch(`${srv.base}/sim/phones/${encodeURIComponent(carol)}/scan`, {
      method: 'POST',
      body: JSON.stringify({ qr }),
    })
    expect(scan.status).toBe(200)
    await eventually('connected', async () => (await apiC.get(`/api/sessions/${sid}`)).body.state === 'connected')
    const days = ['today', 'tomorrow', 'on Friday', 'next Monday', 'on 28 December']
    const N = 1000
    for (let i = 0; i < N; i += 20) {
      await Promise.all(
        Array.from({ length: 20 }, (_, j) => simSend(srv.base, '+6011' + String(2000000 + ((i + j) % 50)), carol, `Please send invoice ${i + j} ${days[(i + j) % days.length]}`)),
      )
    }
    const total = await eventually('1,000 actions', async () => {
      const n = await apiC.count('/api/actions?status=pending')
      return n >= N ? n : 0
    }, 120_000)

    const ctxC = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    const page = await ctxC.newPage()
    await signIn(page, srv.base, carol)
    await page.goto(srv.base + '/actions')
    await page.getByTestId('action-row').first().waitFor()
    const firstRowMs = await page.evaluate(() => performance.now())
    figures.inboxTimeline = await page.evaluate(() =>
      performance.getEntriesByType('resource').map((e) => `${e.name.replace(location.origin, '')} ${Math.round(e.startTime)}-${Math.round(e.responseEnd)}`),
    )
    const setsize = await eventually('every action listed', async () => {
      const n = Number(await page.locator('.vrow').first().getAttribute('aria-setsize'))
      return n >= total ? n : 0
    })
    const rendered = await page.locator('.vrow').count()
    expect(rendered).toBeLessThan(60)
    await page.locator('.vlist').evaluate((el) => el.scrollTo(0, el.scrollHeight))
    await page.locator(`.vrow[aria-posinset="${setsize}"]`).waitFor()
    expect(await page.locator('.vrow').count()).toBeLessThan(60)
    const js = await page.evaluate(() =>
      performance
        .getEntriesByType('resource')
        .filter((e) => e.name.endsWith('.js'))
        .reduce((n, e) => n + (e as PerformanceResourceTiming).encodedBodySize, 0),
    )
    await page.setViewportSize({ width: 390, height: 844 })
    await page.locator('.vlist').evaluate((el) => el.scrollTo(0, 0))
    await page.screenshot({ path: join(artifacts, 'screens', 'actions-1000-phone.png') })
    Object.assign(figures, { inboxActions: total, inboxRows: setsize, inboxRenderedRows: rendered, inboxFirstRowMs: Math.round(firstRowMs), firstLoadJsGzipBytes: js })
    await ctxC.close()
  })

  it('raised no page errors or policy violations', () => {
    expect(pageProblems.filter((m) => !/Failed to load resource|WebSocket/.test(m))).toEqual([])
  })
})
