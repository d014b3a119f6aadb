// What WhatsApp takes as each kind of file, checked in the browser before an
// upload so the user gets clear words at once; the server checks the same
// again (413 too_large, 415 unsupported_media_type). The figures are the
// server's: GET /api/media/limits publishes them (from juta.MediaLimits and
// juta.MediaTypes), and loadMediaLimits puts them here. Until they arrive, or
// when that call fails, the tables below stand in: the server's own as of
// writing (WhatsApp's help centre, "About sending media": 16 MB for photos,
// videos and audio, 2 GB for documents; its sticker guidelines: 500 kB;
// Meta's WhatsApp Cloud API reference: "Supported media types").
import { api, must, type Schemas } from './api/client'

export type MediaKind = 'image' | 'video' | 'audio' | 'voice' | 'document' | 'sticker'
export type MediaLimits = Schemas['MediaLimits']

const MB = 1 << 20

export const MEDIA_LIMITS: Record<MediaKind, number> = {
  image: 16 * MB,
  video: 16 * MB,
  audio: 16 * MB,
  voice: 16 * MB,
  sticker: 500 << 10,
  document: 2048 * MB,
}

const MEDIA_TYPES: Partial<Record<MediaKind, string[]>> = {
  image: ['image/jpeg', 'image/png'],
  video: ['video/mp4', 'video/3gpp'],
  audio: ['audio/aac', 'audio/mp4', 'audio/mpeg', 'audio/amr', 'audio/ogg'],
  voice: ['audio/ogg'],
  sticker: ['image/webp'],
}

// UPLOAD is how the server takes a file in: whole in one request whose body
// is at most single bytes (the multipart form with the file), or in parts
// of at most chunk bytes.
export const UPLOAD = { single: 16 * MB + 64 * 1024, chunk: 4 * MB }

const isKind = (k: string): k is MediaKind => k in MEDIA_LIMITS

// applyMediaLimits puts the server's figures in place of the stand-ins.
export function applyMediaLimits(l: MediaLimits): void {
  for (const k of l.kinds) {
    if (!isKind(k.kind)) continue
    MEDIA_LIMITS[k.kind] = k.maxSize
    if (k.types.length > 0) MEDIA_TYPES[k.kind] = k.types.map(baseType)
    else delete MEDIA_TYPES[k.kind]
  }
  UPLOAD.single = l.uploadLimit
  UPLOAD.chunk = l.chunkSize
}

let loading: Promise<boolean> | null = null

// loadMediaLimits reads the server's figures once per page; a failed read
// keeps the stand-ins (and says false) and is tried again on the next call.
export function loadMediaLimits(fetchLimits: () => Promise<MediaLimits> = fetchMediaLimits): Promise<boolean> {
  loading ??= fetchLimits().then(
    (l) => {
      applyMediaLimits(l)
      return true
    },
    () => {
      loading = null
      return false
    },
  )
  return loading
}

async function fetchMediaLimits(): Promise<MediaLimits> {
  return must(await api.GET('/api/media/limits'))
}

// The longest caption a file may carry (Meta's Cloud API reference, "Media
// messages": caption), and the longest text.
export const MAX_CAPTION = 1024
export const MAX_TEXT = 4096

// baseType is a MIME type without its parameters, in lower case.
export function baseType(mime: string): string {
  return mime.split(';')[0].trim().toLowerCase()
}

function takes(kind: MediaKind, mime: string): boolean {
  const types = MEDIA_TYPES[kind]
  return !types || types.includes(baseType(mime))
}

// kindsFor lists what a file of this type can be sent as, the default first
// (the kind the server picks when none is named): a photo as a photo or a
// document, an Ogg file also as a voice note, anything else as a document.
export function kindsFor(mime: string): MediaKind[] {
  const out = (['image', 'video', 'audio', 'voice', 'sticker'] as const).filter((k) => takes(k, mime))
  if (out[0] === 'voice') out.shift() // audio/ogg: audio first, as the server picks
  return [...out, 'document']
}

export type FileProblem = { code: 'empty' } | { code: 'too_large'; limit: number } | { code: 'type'; kind: MediaKind }

// checkFile says why WhatsApp would refuse a file of this type and size as
// kind, or null when it takes it.
// The first check also asks the server for its figures (loadMediaLimits),
// so later checks use them.
export function checkFile(kind: MediaKind, mime: string, size: number): FileProblem | null {
  void loadMediaLimits()
  if (size <= 0) return { code: 'empty' }
  if (size > MEDIA_LIMITS[kind]) return { code: 'too_large', limit: MEDIA_LIMITS[kind] }
  if (!takes(kind, mime)) return { code: 'type', kind }
  return null
}

// formatBytes shows a size as WhatsApp does (binary units, one decimal under
// ten): 820 B, 1.5 KB, 16 MB.
export function formatBytes(n: number, lang = 'en'): string {
  const units = ['B', 'KB', 'MB', 'GB']
  let v = Math.max(0, n)
  let u = 0
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024
    u++
  }
  const digits = u > 0 && v < 10 ? 1 : 0
  const num = new Intl.NumberFormat(lang === 'ms' ? 'ms-MY' : 'en-MY', { maximumFractionDigits: digits }).format(v)
  return num + ' ' + units[u]
}

// formatDuration shows seconds as a player does: 0:07, 1:05, 1:02:03.
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds))
  const two = (x: number) => String(x).padStart(2, '0')
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  return h > 0 ? `${h}:${two(m)}:${two(s % 60)}` : `${m}:${two(s % 60)}`
}

// formatCoordinates shows a place to five decimals (about a metre).
export function formatCoordinates(lat: number, lon: number): string {
  return `${lat.toFixed(5)}, ${lon.toFixed(5)}`
}

// mapLink opens a place on OpenStreetMap.
export function mapLink(lat: number, lon: number): string {
  return `https://www.openstreetmap.org/?mlat=${lat}&mlon=${lon}#map=17/${lat}/${lon}`
}

// vcardPhones reads the phone numbers of a vCard (its TEL lines; WhatsApp
// writes the number as the value and again as waid=).
export function vcardPhones(vcard: string | undefined): string[] {
  if (!vcard) return []
  const out: string[] = []
  for (const line of vcard.replace(/\r?\n[ \t]/g, '').split(/\r?\n/)) {
    const m = /^(?:[\w-]+\.)?TEL[;:]/i.exec(line)
    if (!m) continue
    const value = line.slice(line.indexOf(':', m[0].length - 1) + 1).trim()
    if (value && !out.includes(value)) out.push(value)
  }
  return out
}
