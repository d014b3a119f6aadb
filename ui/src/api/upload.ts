// uploadMedia sends a file to POST /api/sessions/{id}/media with the
// caller's token and reports progress as it goes. fetch cannot report the
// progress of a request body, so this one call uses XMLHttpRequest; like
// the typed client it refreshes an expired token once and turns a problem
// document into an ApiError.
import { accessToken } from './auth'
import { ApiError, type Schemas } from './client'
import type { MediaKind } from '../media'

export type Upload = Schemas['Upload']

export async function uploadMedia(sessionId: number, file: File, kind: MediaKind, onProgress: (fraction: number) => void): Promise<Upload> {
  const body = new FormData()
  body.append('kind', kind)
  body.append('file', file, file.name)
  const url = `/api/sessions/${sessionId}/media`
  const token = await accessToken()
  let res = await post(url, body, token, onProgress)
  if (res.status === 401 && token) {
    const fresh = await accessToken(true)
    if (fresh) res = await post(url, body, fresh, onProgress)
  }
  if (res.status === 201) return JSON.parse(res.responseText) as Upload
  throw problem(res)
}

function post(url: string, body: FormData, token: string | null, onProgress: (f: number) => void): Promise<XMLHttpRequest> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('POST', url)
    if (token) xhr.setRequestHeader('authorization', 'Bearer ' + token)
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total)
    xhr.onload = () => resolve(xhr)
    xhr.onerror = () => reject(new TypeError('network'))
    xhr.onabort = () => reject(new TypeError('network'))
    xhr.send(body)
  })
}

// problem reads the code of a refused upload; a refusal that is not a
// problem document (a proxy's 413) keeps the meaning of its status.
function problem(xhr: XMLHttpRequest): ApiError {
  let code = xhr.status === 413 ? 'too_large' : xhr.status === 415 ? 'unsupported_media_type' : 'internal'
  try {
    const p = JSON.parse(xhr.responseText) as Partial<Schemas['Problem']>
    if (typeof p.code === 'string') code = p.code
  } catch {
    // not JSON: the status decides
  }
  const ra = Number(xhr.getResponseHeader('retry-after'))
  return new ApiError(code, xhr.status, Number.isFinite(ra) && ra > 0 ? ra : undefined)
}
