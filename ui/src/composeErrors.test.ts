import { describe, expect, it } from 'vitest'
import { ApiError } from './api/client'
import { fileProblem, sendFailure } from './components/composeErrors'
import { translate, type Key } from './i18n'

const en = (k: Key, v?: Record<string, string | number>) => translate('en', k, v)
const ms = (k: Key, v?: Record<string, string | number>) => translate('ms', k, v)
const file = (size: number, type: string) => ({ name: 'f', size, type }) as File

describe('file problems in words', () => {
  it('says what is wrong with a file before it is sent', () => {
    expect(fileProblem(en, { code: 'too_large', limit: 500 << 10 }, file(600 << 10, 'image/webp'), 'en')).toBe(
      'Too big for WhatsApp: at most 500 KB for this kind of file, and this one is 600 KB.',
    )
    expect(fileProblem(en, { code: 'type', kind: 'voice' }, file(10, 'audio/mpeg'), 'en')).toBe(
      'WhatsApp does not take this type of file (audio/mpeg) as “Voice note”. Send it as “Document” instead.',
    )
    expect(fileProblem(ms, { code: 'type', kind: 'image' }, file(10, 'image/gif'), 'ms')).toBe(
      'WhatsApp tidak menerima jenis fail ini (image/gif) sebagai “Gambar”. Hantar sebagai “Dokumen”.',
    )
    expect(fileProblem(en, { code: 'empty' }, file(0, ''), 'en')).toBe('This file is empty.')
  })
  it("tells the server's 413 and 415 for a file in the same words", () => {
    const f = file(20 << 20, 'video/mp4')
    expect(sendFailure(en, new ApiError('too_large', 413), 'video', f, 'en')).toBe('Too big for WhatsApp: at most 16 MB for this kind of file, and this one is 20 MB.')
    expect(sendFailure(en, new ApiError('unsupported_media_type', 415), 'video', f, 'en')).toContain('(video/mp4) as “Video”')
  })
  it('tells any other failure as the dashboard does', () => {
    expect(sendFailure(en, new ApiError('rate_limited', 429, 7), 'image', file(1, 'image/png'), 'en')).toBe('Too many attempts. Wait 7 seconds and try again.')
    expect(sendFailure(en, new TypeError('network'), 'image', null, 'en')).toBe('Cannot reach the server. Check your connection.')
  })
})
