// MessageTools is a message's menu: reply (quote it in the composer), react
// with an emoji (the user's own reaction shows pressed; pressing it again
// takes it back), and for the user's own messages edit (a text, or the
// caption of a photo, video or document, within WhatsApp's 15 minutes) and
// delete for everyone, after a confirmation.
import { useState, type FormEvent } from 'react'
import { api, idempotencyKey, must, type Message } from '../api/client'
import { describe } from '../errors'
import { usePrefs } from '../i18n'
import { MAX_CAPTION, MAX_TEXT } from '../media'
import { ownReaction } from '../compose'

// The reactions WhatsApp offers first.
const EMOJIS = ['👍', '❤️', '😂', '😮', '😢', '🙏']

// WhatsApp lets a message be edited for 15 minutes after it was sent (its
// help centre, "How to edit messages"); the server refuses later edits.
const EDIT_WINDOW_MS = 15 * 60_000

// Kinds whose caption the sender may edit (the server's juta.HasCaption).
const CAPTIONED = new Set(['image', 'video', 'document'])

// react sends the user's reaction to m ("" takes it back) and answers the
// message with its reactions.
export async function react(m: Message, chat: string, emoji: string): Promise<Message> {
  return must(
    await api.POST('/api/sessions/{id}/messages', {
      params: { path: { id: m.sessionId } },
      headers: { 'Idempotency-Key': idempotencyKey() },
      body: { to: chat, reactTo: m.id, emoji },
    }),
  )
}

interface Props {
  m: Message
  chat: string
  onReply: (m: Message) => void
  onChanged: (m: Message) => void
}

export function MessageTools({ m, chat, onReply, onChanged }: Props) {
  const { t } = usePrefs()
  const [open, setOpen] = useState(false)
  const [editing, setEditing] = useState<string | null>(null)
  const [error, setError] = useState('')
  const caption = CAPTIONED.has(m.kind)
  const canEdit = m.fromMe && (m.kind === 'text' || caption) && Date.now() - Date.parse(m.sentAt) < EDIT_WINDOW_MS
  const mine = ownReaction(m.reactions)?.emoji

  const run = async (fn: () => Promise<Message>) => {
    setError('')
    try {
      onChanged(await fn())
      setOpen(false)
      setEditing(null)
    } catch (e) {
      setError(describe(t, e))
    }
  }
  const save = (e: FormEvent) => {
    e.preventDefault()
    if (!editing?.trim()) return
    void run(async () =>
      must(
        await api.POST('/api/sessions/{id}/messages', {
          params: { path: { id: m.sessionId } },
          headers: { 'Idempotency-Key': idempotencyKey() },
          body: { to: chat, edit: m.id, text: editing },
        }),
      ),
    )
  }
  const remove = () => {
    if (!confirm(t('msg.confirmDelete'))) return
    void run(async () =>
      must(
        await api.DELETE('/api/sessions/{id}/messages/{messageId}', {
          params: { path: { id: m.sessionId, messageId: m.id } },
          headers: { 'Idempotency-Key': idempotencyKey() },
        }),
      ),
    )
  }

  if (editing !== null) {
    return (
      <form className="edit" onSubmit={save}>
        <label>
          <span className="sr-only">{caption ? t('msg.captionLabel') : t('msg.editLabel')}</span>
          <textarea
            rows={2}
            aria-label={caption ? t('msg.captionLabel') : t('msg.editLabel')}
            value={editing}
            maxLength={caption ? MAX_CAPTION : MAX_TEXT}
            onChange={(e) => setEditing(e.target.value)}
          />
        </label>
        <span className="row">
          <button type="submit" className="primary" disabled={!editing.trim()}>
            {t('common.save')}
          </button>
          <button type="button" onClick={() => setEditing(null)}>
            {t('common.cancel')}
          </button>
        </span>
        {error && <span role="alert" className="error small">{error}</span>}
      </form>
    )
  }
  return (
    <div className="tools">
      <button type="button" className="more" aria-expanded={open} aria-label={t('msg.options')} title={t('msg.options')} onClick={() => setOpen(!open)}>
        <span aria-hidden="true">⋯</span>
      </button>
      {open && (
        <div className="toolbar" role="group" aria-label={t('msg.options')}>
          <button
            type="button"
            onClick={() => {
              onReply(m)
              setOpen(false)
            }}
          >
            {t('msg.reply')}
          </button>
          {EMOJIS.map((e) => (
            <button
              key={e}
              type="button"
              className="emoji"
              aria-pressed={mine === e}
              aria-label={t('msg.react', { emoji: e })}
              onClick={() => void run(() => react(m, chat, mine === e ? '' : e))}
            >
              {e}
            </button>
          ))}
          {canEdit && (
            <button type="button" onClick={() => setEditing(m.text)}>
              {caption ? t('msg.editCaption') : t('msg.edit')}
            </button>
          )}
          {m.fromMe && (
            <button type="button" className="danger" onClick={remove}>
              {t('msg.delete')}
            </button>
          )}
        </div>
      )}
      {error && <span role="alert" className="error small">{error}</span>}
    </div>
  )
}
