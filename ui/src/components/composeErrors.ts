// Words for a file WhatsApp would refuse, whether the browser found it first
// (checkFile) or the server did (413 too_large, 415 unsupported_media_type).
import { ApiError } from '../api/client'
import { describe } from '../errors'
import type { Key, T } from '../i18n'
import { baseType, formatBytes, MEDIA_LIMITS, type FileProblem, type MediaKind } from '../media'

export function fileProblem(t: T, p: FileProblem, file: File, lang: string): string {
  const kind = t(('msg.kind.' + (p.code === 'type' ? p.kind : 'document')) as Key)
  switch (p.code) {
    case 'empty':
      return t('file.empty')
    case 'type':
      return t('file.type', { type: baseType(file.type) || '?', kind })
    case 'too_large':
      return t('file.tooLarge', { limit: formatBytes(p.limit, lang), size: formatBytes(file.size, lang) })
  }
}

// sendFailure says why a send failed; a file the server refused is told
// with its limits, anything else as any failed request.
export function sendFailure(t: T, err: unknown, kind: MediaKind, file: File | null, lang: string): string {
  if (file && err instanceof ApiError) {
    if (err.code === 'too_large') return fileProblem(t, { code: 'too_large', limit: MEDIA_LIMITS[kind] }, file, lang)
    if (err.code === 'unsupported_media_type') return fileProblem(t, { code: 'type', kind }, file, lang)
  }
  return describe(t, err)
}
