import { describe, expect, it } from 'vitest'
import { checkFile, formatBytes, formatCoordinates, formatDuration, kindsFor, mapLink, MEDIA_LIMITS, vcardPhones } from './media'

describe('kindsFor', () => {
  it('offers what WhatsApp takes a file as, the server default first', () => {
    expect(kindsFor('image/jpeg')).toEqual(['image', 'document'])
    expect(kindsFor('image/png')).toEqual(['image', 'document'])
    expect(kindsFor('video/mp4')).toEqual(['video', 'document'])
    expect(kindsFor('audio/mpeg')).toEqual(['audio', 'document'])
    expect(kindsFor('audio/ogg; codecs=opus')).toEqual(['audio', 'voice', 'document'])
    expect(kindsFor('image/webp')).toEqual(['sticker', 'document'])
    expect(kindsFor('application/pdf')).toEqual(['document'])
    expect(kindsFor('')).toEqual(['document'])
    expect(kindsFor('IMAGE/JPEG')).toEqual(['image', 'document'])
  })
})

describe('checkFile', () => {
  it('takes a file within its kind', () => {
    expect(checkFile('image', 'image/png', 1)).toBeNull()
    expect(checkFile('image', 'image/jpeg', 16 << 20)).toBeNull()
    expect(checkFile('document', 'application/zip', 3 << 20)).toBeNull()
    expect(checkFile('voice', 'audio/ogg;codecs=opus', 5000)).toBeNull()
  })
  it('refuses an empty file', () => {
    expect(checkFile('document', 'text/plain', 0)).toEqual({ code: 'empty' })
  })
  it("refuses a file over WhatsApp's size for its kind", () => {
    expect(checkFile('image', 'image/png', (16 << 20) + 1)).toEqual({ code: 'too_large', limit: 16 << 20 })
    expect(checkFile('sticker', 'image/webp', 500 * 1024 + 1)).toEqual({ code: 'too_large', limit: 500 * 1024 })
    expect(checkFile('sticker', 'image/webp', 500 * 1024)).toBeNull()
    expect(checkFile('document', 'application/pdf', MEDIA_LIMITS.document + 1)?.code).toBe('too_large')
  })
  it('refuses a type the kind does not take', () => {
    expect(checkFile('image', 'image/gif', 10)).toEqual({ code: 'type', kind: 'image' })
    expect(checkFile('voice', 'audio/mpeg', 10)).toEqual({ code: 'type', kind: 'voice' })
    expect(checkFile('video', 'video/quicktime', 10)).toEqual({ code: 'type', kind: 'video' })
  })
})

describe('formatting', () => {
  it('shows sizes in binary units', () => {
    expect(formatBytes(0)).toBe('0 B')
    expect(formatBytes(820)).toBe('820 B')
    expect(formatBytes(1536)).toBe('1.5 KB')
    expect(formatBytes(500 * 1024)).toBe('500 KB')
    expect(formatBytes(16 << 20)).toBe('16 MB')
    expect(formatBytes(1536, 'ms')).toBe('1.5 KB')
  })
  it('shows durations as a player does', () => {
    expect(formatDuration(7)).toBe('0:07')
    expect(formatDuration(65)).toBe('1:05')
    expect(formatDuration(3723)).toBe('1:02:03')
  })
  it('shows a place and links it to a map', () => {
    expect(formatCoordinates(3.1390031, 101.6868551)).toBe('3.13900, 101.68686')
    expect(mapLink(3.139, 101.6869)).toBe('https://www.openstreetmap.org/?mlat=3.139&mlon=101.6869#map=17/3.139/101.6869')
  })
})

describe('vcardPhones', () => {
  it('reads the numbers of a contact card', () => {
    const card = 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ali\r\nitem1.TEL;waid=60123456789:+60 12-345 6789\r\nitem1.X-ABLabel:Mobile\r\nTEL;TYPE=WORK:+603 2222 3333\r\nEND:VCARD'
    expect(vcardPhones(card)).toEqual(['+60 12-345 6789', '+603 2222 3333'])
  })
  it('finds none in a card without a number', () => {
    expect(vcardPhones('BEGIN:VCARD\nVERSION:3.0\nFN:Siti\nEND:VCARD')).toEqual([])
    expect(vcardPhones(undefined)).toEqual([])
  })
})

describe('media limits from the server', () => {
  it('puts the server figures in place of the stand-ins, and keeps them when the call fails', async () => {
    const { applyMediaLimits, loadMediaLimits, UPLOAD } = await import('./media')
    expect(await loadMediaLimits(async () => Promise.reject(new Error('offline')))).toBe(false)
    expect(MEDIA_LIMITS.document).toBe(2048 * 1024 * 1024)
    const ok = await loadMediaLimits(async () => ({
      kinds: [
        { kind: 'document', maxSize: 100 << 20, types: [] },
        { kind: 'image', maxSize: 5 << 20, types: ['image/png'] },
      ],
      uploadLimit: 8 << 20,
      chunkSize: 1 << 20,
    }))
    expect(ok).toBe(true)
    expect(MEDIA_LIMITS.document).toBe(100 << 20)
    expect(UPLOAD).toEqual({ single: 8 << 20, chunk: 1 << 20 })
    expect(checkFile('image', 'image/jpeg', 10)).toEqual({ code: 'type', kind: 'image' })
    expect(checkFile('image', 'image/png', (5 << 20) + 1)?.code).toBe('too_large')
    applyMediaLimits({
      kinds: [{ kind: 'image', maxSize: 16 << 20, types: ['image/jpeg', 'image/png'] }, { kind: 'document', maxSize: 2048 * 1024 * 1024, types: [] }],
      uploadLimit: (16 << 20) + (64 << 10),
      chunkSize: 4 << 20,
    })
  })
})
