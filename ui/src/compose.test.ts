import { describe, expect, it } from 'vitest'
import { cardOf, cardsOf, checkPlace, ownReaction, parseCoordinate, phoneDigits, recordingType, vcardName, voiceFileName } from './compose'
import { vcardPhones } from './media'

describe('places', () => {
  it('read coordinates with a dot or a comma, in range only', () => {
    expect(parseCoordinate(' 3.1390 ', 90)).toBe(3.139)
    expect(parseCoordinate('-33,8688', 90)).toBe(-33.8688)
    expect(parseCoordinate('180', 180)).toBe(180)
    for (const bad of ['', 'abc', '91', '1e2', '3.1.2', 'NaN', 'Infinity', '0x10']) expect(parseCoordinate(bad, 90), bad).toBeNull()
  })
  it('say which field is wrong, and keep only what was given', () => {
    expect(checkPlace({ latitude: '3.139', longitude: '101.6869', name: ' Kedai Ali ', address: '' })).toEqual({ latitude: 3.139, longitude: 101.6869, name: 'Kedai Ali' })
    expect(checkPlace({ latitude: '95', longitude: '101', name: '', address: '' })).toBe('latitude')
    expect(checkPlace({ latitude: '3', longitude: '-181', name: '', address: '' })).toBe('longitude')
    // 1024 bytes, not characters: "é" is two.
    expect(checkPlace({ latitude: '3', longitude: '101', name: 'é'.repeat(513), address: '' })).toBe('tooLong')
  })
})

describe('contact cards', () => {
  it('take an international number only', () => {
    expect(phoneDigits('+60 12-345 6789')).toBe('60123456789')
    expect(phoneDigits('+1 (415) 555-0100')).toBe('14155550100')
    for (const bad of ['012-345 6789', '+60', '+0123456789', '+6012345678901234', '+60 12 abc']) expect(phoneDigits(bad), bad).toBeNull()
  })
  it('write a name and number as WhatsApp writes a card, which reads back', () => {
    const c = cardOf(' Ali; Kedai, Runcit ', '+60 12-345 6789')
    expect(c?.displayName).toBe('Ali; Kedai, Runcit')
    expect(c?.vcard).toContain('TEL;type=CELL;waid=60123456789:+60 12-345 6789\r\n')
    expect(vcardName(c!.vcard!)).toBe('Ali; Kedai, Runcit')
    expect(vcardPhones(c!.vcard)).toEqual(['+60 12-345 6789'])
    expect(cardOf('', '+60123456789')).toBeNull()
    expect(cardOf('Ali', '0123456789')).toBeNull()
  })
  it('read pasted vCards by their FN, or N when there is none', () => {
    const two = 'BEGIN:VCARD\nVERSION:3.0\nFN:Siti Aminah\nTEL:+60198765432\nEND:VCARD\nBEGIN:VCARD\r\nVERSION:2.1\r\nN:Tan;Mei Ling;;;\r\nTEL;CELL:+6012000111\r\nEND:VCARD'
    expect(cardsOf(two)?.map((c) => c.displayName)).toEqual(['Siti Aminah', 'Mei Ling Tan'])
    expect(cardsOf('just a name')).toBeNull()
    expect(cardsOf('BEGIN:VCARD\nTEL:+60198765432\nEND:VCARD')).toBeNull()
    expect(cardsOf('BEGIN:VCARD\nFN:X\nNOTE:' + 'a'.repeat(17000) + '\nEND:VCARD')).toBeNull()
  })
})

describe('voice notes', () => {
  it('are recorded as Ogg Opus where the browser can, else WebM Opus', () => {
    expect(recordingType((t) => t.startsWith('audio/'))).toBe('audio/ogg;codecs=opus')
    expect(recordingType((t) => t === 'audio/webm;codecs=opus')).toBe('audio/webm;codecs=opus')
    expect(recordingType(() => false)).toBe('')
  })
  it('are named by their type', () => {
    const at = new Date('2026-12-07T11:00:00.5Z')
    expect(voiceFileName('audio/ogg', at)).toBe('voice-2026-12-07T11-00-00-500Z.ogg')
    expect(voiceFileName('audio/webm', at)).toMatch(/\.webm$/)
  })
})

describe('ownReaction', () => {
  it('is the reaction the server marks as the user’s', () => {
    const at = '2026-12-07T11:00:00Z'
    const rs = [
      { sender: '+60111', emoji: '🙏', at, fromMe: false },
      { sender: '+60222', emoji: '👍', at, fromMe: true },
    ]
    expect(ownReaction(rs)?.emoji).toBe('👍')
    expect(ownReaction(rs.slice(0, 1))).toBeUndefined()
    expect(ownReaction(undefined)).toBeUndefined()
  })
})
