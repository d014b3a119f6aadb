// The composer's sends share one way of going out: each draft carries one
// Idempotency-Key, kept until the draft changes, so a double click or a
// retry after a lost answer sends it once; a send in flight blocks a second
// one at once (not at the next render); a failed send keeps the draft and
// says why; a sent one quotes the message being replied to and clears it.
import { useMemo, useRef, useState } from 'react'
import { api, idempotencyKey, must, type Message, type Schemas } from '../api/client'
import { describe } from '../errors'
import { usePrefs } from '../i18n'

export type SendBody = Schemas['SendRequest']

// Post sends a body to the chat under the draft's key.
type Post = (body: Omit<SendBody, 'to' | 'quote'>) => Promise<Message>

// useDraftKey is a draft's Idempotency-Key: the same for a retry of the
// same draft, a new one once anything in it changed (the server refuses a
// key reused with another body). reset forgets it once the draft is sent.
export function useDraftKey() {
  const key = useRef<{ sig: string; key: string } | null>(null)
  return useMemo(
    () => ({
      of(draft: unknown): string {
        const sig = JSON.stringify(draft)
        if (key.current?.sig !== sig) key.current = { sig, key: idempotencyKey() }
        return key.current.key
      },
      reset() {
        key.current = null
      },
    }),
    [],
  )
}

export interface SendTarget {
  sessionId: number
  chat: string
  quote: Message | null
  clearQuote: () => void
  onSent: (m: Message) => void
}

// useSendBody sends a body (a place, contact cards, an uploaded file) to
// the target chat. run wraps the whole send, an upload included: it answers
// false when another is in flight or it failed (error says why, in words
// chosen by explain when given).
export function useSendBody({ sessionId, chat, quote, clearQuote, onSent }: SendTarget) {
  const { t } = usePrefs()
  const draft = useDraftKey()
  const sending = useRef(false)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState('')

  const post: Post = async (body) => {
    const full: SendBody = { to: chat, ...body, ...(quote ? { quote: quote.id } : {}) }
    const m = must(await api.POST('/api/sessions/{id}/messages', { params: { path: { id: sessionId } }, headers: { 'Idempotency-Key': draft.of(full) }, body: full }))
    draft.reset()
    onSent(m)
    clearQuote()
    return m
  }
  const run = async (fn: (post: Post) => Promise<unknown>, explain?: (e: unknown) => string): Promise<boolean> => {
    if (sending.current) return false
    sending.current = true
    setBusy(true)
    setError('')
    try {
      await fn(post)
      return true
    } catch (e) {
      setError(explain ? explain(e) : describe(t, e))
      return false
    } finally {
      sending.current = false
      setBusy(false)
    }
  }
  return { run, busy, error, setError }
}
