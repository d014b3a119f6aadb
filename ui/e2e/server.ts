// Starts a real jutad in simulator mode on a free loopback port.
import { spawn, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'
import { createWriteStream, mkdirSync } from 'node:fs'
import { join } from 'node:path'

export const artifacts = join(import.meta.dirname, 'artifacts')

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.listen(0, '127.0.0.1', () => {
      const a = s.address()
      s.close(() => (typeof a === 'object' && a ? resolve(a.port) : reject(new Error('no port'))))
    })
  })
}

// eventually polls fn until it returns a truthy value or the deadline passes.
export async function eventually<T>(what: string, fn: () => Promise<T | undefined | null | false>, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs
  let last: unknown
  for (;;) {
    try {
      const v = await fn()
      if (v) return v
    } catch (e) {
      last = e
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}` + (last ? `: ${String(last)}` : ''))
    await new Promise((r) => setTimeout(r, 100))
  }
}

export interface Jutad {
  base: string
  stop: () => Promise<void>
}

export async function startJutad(): Promise<Jutad> {
  const bin = process.env.JUTAD ?? join(import.meta.dirname, '..', '..', 'bin', 'jutad')
  if (!process.env.DATABASE_URL) throw new Error('DATABASE_URL is required (scripts/db.sh)')
  const port = await freePort()
  mkdirSync(artifacts, { recursive: true })
  const log = createWriteStream(join(artifacts, 'jutad.log'))
  const child: ChildProcess = spawn(bin, [], {
    env: {
      ...process.env,
      JUTA_WHATSAPP: 'sim',
      JUTA_SIM_URL: '',
      JUTA_ADDR: `127.0.0.1:${port}`,
      // Short-lived access tokens, so the run exercises the silent refresh.
      JUTA_TOKEN_TTL: '40s',
      // The suite sends, edits and deletes faster than a person: pacing
      // (tested in Go) would answer some of them 429.
      JUTA_SEND_BURST: '50',
      JUTA_SEND_PER_MINUTE: '600',
      JUTA_LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  child.stdout!.pipe(log)
  child.stderr!.pipe(log)
  const base = `http://127.0.0.1:${port}`
  let exited = false
  child.on('exit', () => (exited = true))
  await eventually(
    'jutad ready',
    async () => {
      if (exited) throw new Error('jutad exited; see e2e/artifacts/jutad.log')
      return (await fetch(base + '/readyz')).ok
    },
    60_000,
  )
  return {
    base,
    stop: () =>
      new Promise<void>((resolve) => {
        if (exited) return resolve()
        child.on('exit', () => resolve())
        child.kill('SIGTERM')
      }),
  }
}

export function randomPhone(): string {
  return '+6012' + String(Math.floor(1_000_000 + Math.random() * 8_999_999))
}

// createAdmin makes an administrator account with jutad's own command, as an
// operator would (the password on stdin).
export async function createAdmin(phone: string, password: string): Promise<void> {
  const bin = process.env.JUTAD ?? join(import.meta.dirname, '..', '..', 'bin', 'jutad')
  const child = spawn(bin, ['admin', 'create', '--phone', phone], { env: process.env, stdio: ['pipe', 'ignore', 'pipe'] })
  let err = ''
  child.stderr!.on('data', (b) => (err += String(b)))
  child.stdin!.end(password + '\n')
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve))
  if (code !== 0) throw new Error('jutad admin create: ' + code + ' ' + err)
}
