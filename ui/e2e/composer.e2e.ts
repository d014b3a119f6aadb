// End to end, the composer's other kinds against a real jutad (simulator
// mode, real PostgreSQL) in Debian's Chromium with a fake microphone and a
// granted position: a place (checked as typed, or the device's own), contact
// cards (typed or pasted), a recorded voice note, a caption edited after
// sending, and the user's own reaction told apart and taken back; axe and
// Malay on the open forms.
import { join } from 'node:path'
import AxeBuilder from '@axe-core/playwright'
import { chromium, type Browser, type Page, type Request } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Api, CHROMIUM_FLAGS, englishLeft, nav, signUp, simInbox, simSend } from './helpers'
import { artifacts, eventually, randomPhone, startJutad, type Jutad } from './server'

let srv: Jutad
let browser: Browser

// Chromium's fake capture device (a beeping tone) stands in for the
// microphone, and its fake prompt allows it.
const MEDIA_FLAGS = ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream']
const KLCC = { latitude: 3.1579, longitude: 101.7116 }

beforeAll(async () => {
  srv = await startJutad()
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: [...CHROMIUM_FLAGS, ...MEDIA_FLAGS], headless: true })
})

afterAll(async () => {
  await browser?.close()
  await srv?.stop()
})

async function axe(page: Page, what: string): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze()
  expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${what}: ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([])
}

// inMalay checks that no English is left on the page in Malay, once the
// region named shows in Malay.
async function inMalay(page: Page, shown: string): Promise<void> {
  await page.getByLabel('Language').selectOption('ms')
  try {
    await page.getByRole('region', { name: shown }).or(page.getByRole('form', { name: shown })).waitFor()
    expect(await englishLeft(page)).toEqual([])
  } finally {
    await page.getByLabel('Bahasa').selectOption('en')
  }
}

describe('composer', () => {
  const owner = randomPhone()
  const contact = randomPhone()
  let page: Page
  let api: Api
  let sessionId = 0
  const problems: string[] = []
  const composer = () => page.getByRole('form', { name: 'Write a message' })
  const msgs = () => page.getByTestId('messages')
  const inbox = (kind: string) => simInbox(srv.base, contact).then((items) => items.filter((m) => m.content?.kind === kind))

  it('opens a linked chat', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, permissions: ['geolocation', 'microphone'], geolocation: KLCC })
    page = await ctx.newPage()
    page.on('pageerror', (e) => problems.push(String(e)))
    await signUp(page, srv.base, owner)
    api = await Api.login(srv.base, owner)
    const created = await fetch(srv.base + '/api/sessions', {
      method: 'POST',
      headers: { authorization: 'Bearer ' + api.token, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'shop' }),
    })
    sessionId = ((await created.json()) as { id: number }).id
    const qr = await eventually('a QR code', async () => {
      const r = await api.get(`/api/sessions/${sessionId}/qr`)
      return r.status === 200 && (r.body.qr as string)
    })
    const scan = await fetch(`${srv.base}/sim/phones/${encodeURIComponent(owner)}/scan`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ qr }),
    })
    expect(scan.ok).toBe(true)
    await eventually('the session connected', async () => (await api.get(`/api/sessions/${sessionId}`)).body.state === 'connected')
    await simSend(srv.base, contact, owner, 'Where is the shop? (composer)')
    await nav(page, 'Chats')
    await page.locator('.chatlist button').filter({ hasText: contact }).click()
    await msgs().getByText('Where is the shop? (composer)').waitFor()
  })

  it('sends a place, checked as typed, at the position the browser gives', async () => {
    await composer().getByRole('button', { name: 'Share a location' }).click()
    const form = page.getByRole('form', { name: 'Location' })
    await form.getByLabel('Latitude').fill('95')
    await form.getByLabel('Longitude').fill('101.7')
    await form.getByRole('button', { name: 'Send location' }).click()
    await form.getByRole('alert').getByText('Latitude must be a number from -90 to 90').waitFor()
    expect(await inbox('location')).toEqual([])
    await form.getByRole('button', { name: 'Use my location' }).click()
    await eventually('the position filled in', async () => (await form.getByLabel('Latitude').inputValue()) === '3.157900')
    expect(await form.getByLabel('Longitude').inputValue()).toBe('101.711600')
    await form.getByLabel('Name of the place (optional)').fill('Kedai Runcit Ali')
    await axe(page, 'location form')
    await inMalay(page, 'Lokasi')
    await form.getByRole('button', { name: 'Send location' }).click()
    const sent = msgs().locator('li.me').filter({ hasText: 'Kedai Runcit Ali' })
    await sent.getByText('3.15790, 101.71160').waitFor()
    expect(await page.getByRole('form', { name: 'Location' }).count()).toBe(0)
    const [got] = await eventually('the place at the contact', () => inbox('location').then((l) => l.length === 1 && l))
    expect(got.content).toMatchObject({ kind: 'location' })
  })

  it('sends a contact card typed as a name and number, and pasted vCards', async () => {
    await composer().getByRole('button', { name: 'Share a contact card' }).click()
    const form = page.getByRole('form', { name: 'Contact card' })
    await form.getByLabel('Name', { exact: true }).fill('Siti Courier')
    await form.getByLabel('Phone number with country code').fill('019-888 7777')
    await form.getByRole('button', { name: 'Send contact' }).click()
    await form.getByRole('alert').getByText('Write the number with its country code').waitFor()
    await form.getByLabel('Phone number with country code').fill('+60 19-888 7777')
    await form.getByRole('button', { name: 'Send contact' }).click()
    const card = msgs().locator('li.me').filter({ hasText: 'Siti Courier' })
    expect(await card.getByRole('link', { name: '+60 19-888 7777' }).getAttribute('href')).toBe('tel:+60198887777')

    await composer().getByRole('button', { name: 'Share a contact card' }).click()
    await form.getByLabel('Paste a vCard').check()
    const two = 'BEGIN:VCARD\nVERSION:3.0\nFN:Ah Seng Lorry\nTEL:+60123334444\nEND:VCARD\nBEGIN:VCARD\nVERSION:3.0\nN:Tan;Mei Ling;;;\nTEL:+60125556666\nEND:VCARD'
    await form.getByLabel('vCard (one or more').fill(two)
    await form.getByText('2 contacts will be sent.').waitFor()
    await axe(page, 'contact form')
    await inMalay(page, 'Kad kenalan')
    await form.getByRole('button', { name: 'Send contact' }).click()
    await msgs().locator('li.me').filter({ hasText: 'Ah Seng Lorry' }).getByText('Mei Ling Tan').waitFor()
    const cards = await eventually('both sends at the contact', () => inbox('contact').then((l) => l.length === 2 && l))
    expect(cards.length).toBe(2)
  })

  it('records a voice note, plays it back and sends it', async () => {
    const uploads: Request[] = []
    const onRequest = (r: Request) => void (r.method() === 'POST' && r.url().endsWith('/media') && uploads.push(r))
    page.on('request', onRequest)
    await composer().getByRole('button', { name: 'Record a voice note' }).click()
    const rec = page.getByRole('region', { name: 'Voice note' })
    // Cancel throws the recording away and sends nothing.
    await rec.getByRole('timer').waitFor()
    await rec.getByRole('button', { name: 'Cancel' }).click()
    expect(await page.getByRole('region', { name: 'Voice note' }).count()).toBe(0)

    await composer().getByRole('button', { name: 'Record a voice note' }).click()
    await eventually('two seconds recorded', async () => (await rec.getByRole('timer').textContent()) === '0:02')
    await axe(page, 'voice recorder')
    await inMalay(page, 'Nota suara')
    await rec.getByRole('button', { name: 'Stop' }).click()
    await rec.getByText(/^Recorded \d+:\d\d/).waitFor()
    const player = rec.locator('audio')
    expect(await player.getAttribute('src')).toMatch(/^blob:/)
    const type = await eventually('the preview decoded', () => player.evaluate((a: HTMLAudioElement) => a.readyState >= 1 && (a.src ? 'ok' : '')))
    expect(type).toBe('ok')
    await rec.getByRole('button', { name: 'Send voice note' }).click()
    const note = msgs().locator('li.me').filter({ hasText: 'Voice note' })
    await note.waitFor()
    page.off('request', onRequest)
    expect(uploads.length).toBe(1)
    // Chromium records WebM Opus only; what reaches WhatsApp is the Ogg Opus
    // the server made of it.
    expect(await page.evaluate(() => [MediaRecorder.isTypeSupported('audio/ogg;codecs=opus'), MediaRecorder.isTypeSupported('audio/webm;codecs=opus')])).toEqual([false, true])
    const [got] = await eventually('the voice note at the contact', () => inbox('voice').then((l) => l.length === 1 && l))
    expect(got.content?.mimeType).toMatch(/^audio\/ogg/)
    const stored = (await api.get(`/api/sessions/${sessionId}/messages?chat=${encodeURIComponent(contact)}`)).body.items.find((m: { kind: string }) => m.kind === 'voice')
    expect(stored.mimeType).toMatch(/^audio\/ogg/)
    expect(stored.durationSeconds).toBeGreaterThanOrEqual(2)
  })

  it('edits the caption of its own photo', async () => {
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64')
    await composer().getByLabel('Attach a photo, video, audio or document').setInputFiles({ name: 'slip.png', mimeType: 'image/png', buffer: png })
    await composer().getByLabel('Caption').fill('dah bayar RM120')
    await composer().getByRole('button', { name: 'Send' }).click()
    const photo = page.locator('#' + (await msgs().locator('li.me').filter({ hasText: 'dah bayar RM120' }).first().getAttribute('id')))
    await photo.getByRole('button', { name: 'Message options' }).click()
    await photo.getByRole('button', { name: 'Edit caption' }).click()
    await photo.getByLabel('New caption').fill('dah bayar RM130')
    await photo.getByRole('button', { name: 'Save' }).click()
    await photo.locator('.msg-text').getByText('dah bayar RM130').waitFor()
    expect(await photo.innerText()).toContain('edited')
    await eventually('the caption edit at the contact', async () => (await simInbox(srv.base, contact)).some((m) => m.change === 'edit' && m.text === 'dah bayar RM130'))
  })

  it("highlights the user's own reaction and takes it back with a click", async () => {
    const theirs = page.locator('#' + (await msgs().locator('li.them').filter({ hasText: 'Where is the shop? (composer)' }).getAttribute('id')))
    await theirs.getByRole('button', { name: 'Message options' }).click()
    await theirs.getByRole('button', { name: 'React with 👍' }).click()
    const mine = theirs.getByRole('button', { name: 'Your reaction 👍: take it back' })
    await mine.waitFor()
    const waID = (await simInbox(srv.base, contact)).find((m) => m.change === 'reaction')!.target!
    const r = await fetch(`${srv.base}/sim/phones/${encodeURIComponent(contact)}/changes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ to: owner, kind: 'reaction', targets: [waID], text: '🙏' }),
    })
    expect(r.ok).toBe(true)
    await theirs.locator('.reactions').getByText('🙏').waitFor()
    // The contact's reaction is shown, not offered to take back.
    expect(await theirs.locator('.reactions').getByRole('button').count()).toBe(1)
    await page.screenshot({ path: join(artifacts, 'screens', 'composer-reactions-light-en.png') })
    await axe(page, 'reactions')
    await mine.click()
    await eventually('the own reaction gone', async () => (await theirs.locator('.reactions').getByRole('button').count()) === 0)
    await theirs.locator('.reactions').getByText('🙏').waitFor()
    await eventually('the withdrawal at the contact', async () => (await simInbox(srv.base, contact)).some((m) => m.change === 'reaction' && m.text === ''))
    const stored = (await api.get(`/api/sessions/${sessionId}/messages?chat=${encodeURIComponent(contact)}`)).body.items.find(
      (m: { text: string }) => m.text === 'Where is the shop? (composer)',
    )
    expect(stored.reactions).toEqual([expect.objectContaining({ sender: contact, emoji: '🙏', fromMe: false })])
    expect(problems).toEqual([])
  })
})
