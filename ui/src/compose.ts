// What the composer checks before a place, a contact card or a voice note is
// sent, in the browser so the user gets words at once; the server checks the
// same again (400 invalid). The bounds are the server's (juta.CheckOutgoing-
// Content: latitude -90..90, longitude -180..180, names and addresses at most
// 1024 bytes, 1 to 257 cards of at most 16 kB each).
import type { Schemas } from './api/client'

export type Place = Schemas['Location']
export type Card = Schemas['Contact']

export const MAX_PLACE_TEXT = 1024 // bytes of a place's name or address, and of a card's name
export const MAX_CARDS = 257
export const MAX_VCARD = 16 << 10

const bytes = (s: string) => new TextEncoder().encode(s).length

// parseCoordinate reads a latitude (max 90) or longitude (max 180) typed as
// a decimal number, with a dot or a comma; null when it is not one in range.
export function parseCoordinate(raw: string, max: number): number | null {
  const s = raw.trim().replace(',', '.')
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(s)) return null
  const v = Number(s)
  return Number.isFinite(v) && Math.abs(v) <= max ? v : null
}

export type PlaceProblem = 'latitude' | 'longitude' | 'tooLong'

// checkPlace turns the form's fields into a place, or says what is wrong.
export function checkPlace(f: { latitude: string; longitude: string; name: string; address: string }): Place | PlaceProblem {
  const latitude = parseCoordinate(f.latitude, 90)
  if (latitude === null) return 'latitude'
  const longitude = parseCoordinate(f.longitude, 180)
  if (longitude === null) return 'longitude'
  const name = f.name.trim()
  const address = f.address.trim()
  if (bytes(name) > MAX_PLACE_TEXT || bytes(address) > MAX_PLACE_TEXT) return 'tooLong'
  return { latitude, longitude, ...(name ? { name } : {}), ...(address ? { address } : {}) }
}

// phoneDigits is a phone number as WhatsApp names an account (country code
// and number, digits only), or null when raw is not one in international
// form (+ and 7 to 15 digits, E.164's bounds, spaces and dashes allowed).
export function phoneDigits(raw: string): string | null {
  const s = raw.trim()
  if (!/^\+[\d\s().-]+$/.test(s)) return null
  const d = s.replace(/\D/g, '')
  return d.length >= 7 && d.length <= 15 && d[0] !== '0' ? d : null
}

// vcardEscape escapes a vCard text value (RFC 6350, 3.4).
const vcardEscape = (s: string) => s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/,/g, '\\,').replace(/;/g, '\\;')

// cardOf is the contact card of a name and a phone number, written as
// WhatsApp writes one: the number as typed and again as waid= (its digits),
// so the receiving phone offers to message or call it.
export function cardOf(name: string, phone: string): Card | null {
  const displayName = name.trim()
  const digits = phoneDigits(phone)
  if (!displayName || digits === null || bytes(displayName) > MAX_PLACE_TEXT) return null
  const vcard = ['BEGIN:VCARD', 'VERSION:3.0', 'FN:' + vcardEscape(displayName), `TEL;type=CELL;waid=${digits}:${phone.trim()}`, 'END:VCARD', ''].join('\r\n')
  return { displayName, vcard }
}

// cardsOf reads pasted vCards (one or several, as a phone exports them) as
// contact cards named by their FN (or N) line; null when the text holds no
// complete card, when a card has no name, or past the server's bounds.
export function cardsOf(text: string): Card[] | null {
  const found = text.match(/BEGIN:VCARD[\s\S]*?END:VCARD/gi)
  if (!found || found.length > MAX_CARDS) return null
  const out: Card[] = []
  for (const vcard of found) {
    const displayName = vcardName(vcard)
    if (!displayName || bytes(displayName) > MAX_PLACE_TEXT || bytes(vcard) > MAX_VCARD) return null
    out.push({ displayName, vcard: vcard + '\r\n' })
  }
  return out
}

// vcardName is a card's formatted name (FN), else its structured name (N,
// given name first), unescaped; "" when it has neither.
export function vcardName(vcard: string): string {
  const lines = vcard.replace(/\r?\n[ \t]/g, '').split(/\r?\n/)
  const value = (prop: string) => {
    const re = new RegExp('^(?:[\\w-]+\\.)?' + prop + '(?:;[^:]*)?:(.*)$', 'i')
    for (const l of lines) {
      const m = re.exec(l)
      if (m) return m[1]
    }
    return ''
  }
  const unescape = (s: string) => s.replace(/\\([\\,;])/g, '$1').replace(/\\n/gi, ' ').trim()
  const fn = unescape(value('FN'))
  if (fn) return fn
  const [family = '', given = ''] = value('N').split(/(?<!\\);/)
  return unescape([given, family].filter(Boolean).join(' '))
}

// recordingType is the type a voice note is recorded in: Ogg Opus, what
// WhatsApp's voice notes are, when the browser records it (Firefox), else
// WebM Opus (Chromium), which the server remuxes to Ogg; "" when the browser
// records neither.
export function recordingType(isTypeSupported: (t: string) => boolean): string {
  for (const t of ['audio/ogg;codecs=opus', 'audio/webm;codecs=opus']) {
    if (isTypeSupported(t)) return t
  }
  return ''
}

// A recording shorter than this is a slip of the finger: WhatsApp drops it
// too rather than send an empty voice note.
export const MIN_VOICE_MS = 1000

// voiceFileName is the name a recording is uploaded under.
export function voiceFileName(type: string, at: Date): string {
  const ext = type.startsWith('audio/ogg') ? 'ogg' : 'webm'
  return `voice-${at.toISOString().replace(/[:.]/g, '-')}.${ext}`
}

// ownReaction is the session user's own reaction among a message's, if any.
export function ownReaction(reactions: Schemas['Reaction'][] | undefined): Schemas['Reaction'] | undefined {
  return reactions?.find((r) => r.fromMe)
}
