import { describe, expect, it, vi } from 'vitest'

vi.mock('./auth', () => ({ accessToken: async () => 'token' }))

import { uploadInParts, type Reply, type Transport } from './upload'

const reply = (status: number, body: unknown, headers: Record<string, string> = {}): Reply => ({
  status,
  text: JSON.stringify(body),
  header: (n) => headers[n.toLowerCase()] ?? null,
})

// fakeServer keeps one chunked upload as the server does: a part is taken
// only at the offset, the last answers 201; drop names attempts (counted
// from 1) whose part dies on the way after half its bytes arrived (nothing
// is kept of it, as the server keeps nothing of a part it did not finish).
function fakeServer(chunkSize: number, drop: number[] = []) {
  let received = new Uint8Array(0)
  let size = 0
  let attempts = 0
  const calls: string[] = []
  const send: Transport = async (method, url, body, headers, onProgress) => {
    calls.push(method)
    expect(headers.authorization).toBe('Bearer token')
    if (method === 'POST') {
      const b = JSON.parse(body as string) as { size: number; kind: string; fileName: string }
      size = b.size
      return reply(201, { uploadId: 'u1', chunkSize, offset: 0, size, expiresAt: '2026-12-08T00:00:00Z' }, { 'upload-offset': '0' })
    }
    if (method === 'GET') return reply(200, { uploadId: 'u1', chunkSize, offset: received.length, size }, { 'upload-offset': String(received.length) })
    expect(url).toBe('/api/sessions/7/uploads/u1')
    const m = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(headers['content-range'])!
    const data = new Uint8Array(await (body as Blob).arrayBuffer())
    expect(data.length).toBeLessThanOrEqual(chunkSize)
    expect(Number(m[2]) - Number(m[1]) + 1).toBe(data.length)
    onProgress(data.length / 2)
    if (drop.includes(++attempts)) throw new TypeError('network')
    if (Number(m[1]) !== received.length) return reply(409, { code: 'conflict' }, { 'upload-offset': String(received.length) })
    const next = new Uint8Array(received.length + data.length)
    next.set(received)
    next.set(data, received.length)
    received = next
    onProgress(data.length)
    if (received.length === size) return reply(201, { mediaId: 'm1.x', kind: 'document', size })
    return reply(200, { uploadId: 'u1', chunkSize, offset: received.length, size }, { 'upload-offset': String(received.length) })
  }
  return { send, calls, received: () => received }
}

function file(n: number): Blob & { name: string } {
  const b = new Uint8Array(n)
  for (let i = 0; i < n; i++) b[i] = (i * 31) % 251
  return Object.assign(new Blob([b], { type: 'application/pdf' }), { name: 'laporan.pdf' })
}

describe('uploadInParts', () => {
  it('sends the file part by part and answers the last part', async () => {
    const srv = fakeServer(10)
    const f = file(35)
    const progress: number[] = []
    const up = await uploadInParts(7, f, 'document', (p) => progress.push(p), srv.send)
    expect(up.mediaId).toBe('m1.x')
    expect(srv.received()).toEqual(new Uint8Array(await f.arrayBuffer()))
    expect(srv.calls).toEqual(['POST', 'PUT', 'PUT', 'PUT', 'PUT'])
    expect(progress.at(-1)).toBe(1)
    expect(progress.every((p, i) => i === 0 || p >= progress[i - 1] || p >= 0)).toBe(true)
  })

  it('resumes from the offset after a part dies on the way', async () => {
    const srv = fakeServer(10, [2, 3])
    const f = file(35)
    const waits: number[] = []
    const up = await uploadInParts(7, f, 'document', () => {}, srv.send, async (ms) => {
      waits.push(ms)
    })
    expect(up.mediaId).toBe('m1.x')
    expect(srv.received()).toEqual(new Uint8Array(await f.arrayBuffer()))
    // Two failed tries of the second part, each followed by a wait and a
    // question for the offset; the first part was not sent again.
    expect(srv.calls).toEqual(['POST', 'PUT', 'PUT', 'GET', 'PUT', 'GET', 'PUT', 'PUT', 'PUT'])
    expect(waits).toEqual([1000, 2000])
  })

  it('gives up after five failures in a row', async () => {
    const srv = fakeServer(10, [1, 2, 3, 4, 5])
    await expect(uploadInParts(7, file(25), 'document', () => {}, srv.send, async () => {})).rejects.toThrow('network')
  })

  it('turns a refusal into an ApiError with its code', async () => {
    const send: Transport = async () => reply(403, { code: 'quota_exceeded' })
    await expect(uploadInParts(7, file(25), 'document', () => {}, send)).rejects.toMatchObject({ code: 'quota_exceeded', status: 403 })
  })
})
