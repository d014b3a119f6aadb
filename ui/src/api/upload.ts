// uploadMedia sends a file to the server with the caller's token and
// reports progress as it goes. fetch cannot report the progress of a
// request body, so uploads use XMLHttpRequest; like the typed client they
// refresh an expired token once and turn a problem document into an
// ApiError.
//
// A file that fits one request (the server's uploadLimit, with room for the
// form around it) goes whole to POST /api/sessions/{id}/media: one round
// trip. A larger one (a document up to 2 GB) goes in parts through the
// chunked routes: POST .../uploads declares it, each part is a PUT at the
// upload's offset, and a part that fails (a dropped mobile link, a 5xx) is
// sent again from the offset the server reports, so the file is never
// started over. The last part's answer is what POST .../media answers.
import { accessToken } from './auth'
import { ApiError, type Schemas } from './client'
import { loadMediaLimits, UPLOAD, type MediaKind } from '../media'

export type Upload = Schemas['Upload']
export type Chunked = Schemas['Chunked']

// FORM_ROOM is what the multipart form adds around a file (its boundaries
// and part headers): the server's body limit counts them too.
const FORM_ROOM = 64 * 1024
// A part is tried this many times in a row before the upload gives up.
const PART_TRIES = 5

// Reply is what a request answered; Transport sends one (XMLHttpRequest in
// the page, a fake in tests). A network failure rejects.
export interface Reply {
  status: number
  text: string
  header(name: string): string | null
}
export type Transport = (
  method: string,
  url: string,
  body: Document | XMLHttpRequestBodyInit | null,
  headers: Record<string, string>,
  onProgress: (loaded: number) => void,
) => Promise<Reply>

export async function uploadMedia(sessionId: number, file: File, kind: MediaKind, onProgress: (fraction: number) => void): Promise<Upload> {
  await loadMediaLimits()
  if (file.size + FORM_ROOM <= UPLOAD.single) return uploadWhole(sessionId, file, kind, onProgress, xhrTransport)
  return uploadInParts(sessionId, file, kind, onProgress, xhrTransport)
}

// uploadWhole posts the file in one multipart request.
export async function uploadWhole(sessionId: number, file: Blob & { name?: string }, kind: MediaKind, onProgress: (fraction: number) => void, send: Transport): Promise<Upload> {
  const body = new FormData()
  body.append('kind', kind)
  body.append('file', file, file.name ?? 'file')
  const res = await authed(send, 'POST', `/api/sessions/${sessionId}/media`, body, {}, (n) => onProgress(Math.min(1, n / Math.max(file.size, 1))))
  if (res.status === 201) return JSON.parse(res.text) as Upload
  throw problem(res)
}

// uploadInParts sends the file part by part, resuming from the server's
// offset after a failed part; wait is the pause before a retry (tests
// pass none).
export async function uploadInParts(
  sessionId: number,
  file: Blob & { name?: string },
  kind: MediaKind,
  onProgress: (fraction: number) => void,
  send: Transport,
  wait: (ms: number) => Promise<void> = sleep,
): Promise<Upload> {
  const base = `/api/sessions/${sessionId}/uploads`
  const begun = await authed(send, 'POST', base, JSON.stringify({ fileName: file.name ?? 'file', mimeType: file.type || 'application/octet-stream', size: file.size, kind }), { 'content-type': 'application/json' }, () => {})
  if (begun.status !== 201) throw problem(begun)
  const up = JSON.parse(begun.text) as Chunked
  const url = `${base}/${up.uploadId}`
  let offset = up.offset
  let failures = 0
  for (;;) {
    const end = Math.min(offset + up.chunkSize, file.size)
    const at = offset
    let res: Reply | null = null
    try {
      res = await authed(send, 'PUT', url, file.slice(at, end), { 'content-range': `bytes ${at}-${end - 1}/${file.size}` }, (n) => onProgress((at + n) / file.size))
    } catch {
      // a network failure: resume below
    }
    if (res?.status === 201) {
      onProgress(1)
      return JSON.parse(res.text) as Upload
    }
    if (res?.status === 200 || res?.status === 409) {
      offset = offsetOf(res)
      if (res.status === 200) failures = 0
      else if (++failures >= PART_TRIES) throw problem(res)
      continue
    }
    if (res && res.status < 500 && res.status !== 429) throw problem(res)
    if (++failures >= PART_TRIES) throw res ? problem(res) : new TypeError('network')
    await wait(500 * 2 ** failures)
    offset = await resumeAt(send, url, offset)
  }
}

// resumeAt asks the server where the upload stands; when it cannot say
// (still offline), the part is tried again where it was.
async function resumeAt(send: Transport, url: string, fallback: number): Promise<number> {
  try {
    const res = await authed(send, 'GET', url, null, {}, () => {})
    if (res.status === 200) return offsetOf(res)
    if (res.status < 500) throw problem(res)
  } catch (e) {
    if (e instanceof ApiError) throw e
  }
  return fallback
}

function offsetOf(res: Reply): number {
  const h = Number(res.header('upload-offset'))
  if (res.header('upload-offset') !== null && Number.isFinite(h)) return h
  return (JSON.parse(res.text) as Chunked).offset
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

// authed sends with the access token and, on a 401, once more with a
// fresh one.
async function authed(send: Transport, method: string, url: string, body: Document | XMLHttpRequestBodyInit | null, headers: Record<string, string>, onProgress: (loaded: number) => void): Promise<Reply> {
  const token = await accessToken()
  let res = await send(method, url, body, token ? { ...headers, authorization: 'Bearer ' + token } : headers, onProgress)
  if (res.status === 401 && token) {
    const fresh = await accessToken(true)
    if (fresh) res = await send(method, url, body, { ...headers, authorization: 'Bearer ' + fresh }, onProgress)
  }
  return res
}

const xhrTransport: Transport = (method, url, body, headers, onProgress) =>
  new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open(method, url)
    for (const [k, v] of Object.entries(headers)) xhr.setRequestHeader(k, v)
    xhr.upload.onprogress = (e) => onProgress(e.loaded)
    xhr.onload = () => resolve({ status: xhr.status, text: xhr.responseText, header: (n) => xhr.getResponseHeader(n) })
    xhr.onerror = () => reject(new TypeError('network'))
    xhr.onabort = () => reject(new TypeError('network'))
    xhr.send(body)
  })

// problem reads the code of a refused upload; a refusal that is not a
// problem document (a proxy's 413) keeps the meaning of its status.
function problem(res: Reply): ApiError {
  let code = res.status === 413 ? 'too_large' : res.status === 415 ? 'unsupported_media_type' : 'internal'
  try {
    const p = JSON.parse(res.text) as Partial<Schemas['Problem']>
    if (typeof p.code === 'string') code = p.code
  } catch {
    // not JSON: the status decides
  }
  const ra = Number(res.header('retry-after'))
  return new ApiError(code, res.status, Number.isFinite(ra) && ra > 0 ? ra : undefined)
}
