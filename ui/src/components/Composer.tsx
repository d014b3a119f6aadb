// Composer writes to one chat: a text, or a file with a caption, either of
// them optionally quoting a message; its buttons open the other kinds (a
// place, contact cards, a recorded voice note). A file is checked against
// WhatsApp's limits when it is attached, uploaded with progress, then sent
// by its mediaId. Each draft carries one Idempotency-Key, kept until the
// draft changes (useDraftKey), so a double click or a retry after a lost
// answer sends it once; a failed send leaves the draft as it was, with the
// error.
import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react'
import { api, must, type Message } from '../api/client'
import { uploadMedia } from '../api/upload'
import { usePrefs } from '../i18n'
import { checkFile, kindsFor, MAX_CAPTION, MAX_TEXT, type MediaKind } from '../media'
import { fileProblem, sendFailure } from './composeErrors'
import { FilePreview } from './FilePreview'
import { KindButtons, KindPanel, type Kind } from './KindPanel'
import { useDraftKey } from './useSendBody'

interface Props {
  sessionId: number
  chat: string
  quote: Message | null
  clearQuote: () => void
  dropped: File | null
  onSent: (m: Message) => void
}

export function Composer({ sessionId, chat, quote, clearQuote, dropped, onSent }: Props) {
  const { t, lang } = usePrefs()
  const [text, setText] = useState('')
  const [file, setFile] = useState<File | null>(null)
  const [kind, setKind] = useState<MediaKind>('document')
  const [progress, setProgress] = useState<number | null>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState('')
  const [panel, setPanel] = useState<Kind | null>(null)
  const key = useDraftKey()
  const uploaded = useRef<{ file: File; kind: MediaKind; mediaId: string } | null>(null)
  const input = useRef<HTMLTextAreaElement>(null)
  // sending is set at once, not at the next render: two clicks in one
  // tick (a double click on a slow device) must not both start a send.
  const sending = useRef(false)

  const attach = (f: File | null) => {
    setFile(f)
    setError('')
    if (f) setKind(kindsFor(f.type)[0])
  }
  useEffect(() => attach(dropped), [dropped])
  useEffect(() => {
    if (quote) input.current?.focus()
  }, [quote])

  const problem = file ? checkFile(kind, file.type, file.size) : null
  const limit = file ? MAX_CAPTION : MAX_TEXT
  const ready = !busy && !problem && (file !== null || text.trim() !== '') && text.length <= limit

  // draftKey is the key of the draft as it is now: the same for a retry, a
  // new one once anything in it changed (the server refuses a key reused
  // with another body).
  const draftKey = () => key.of([text, file?.name, file?.size, file?.lastModified, kind, quote?.id])

  const mediaId = async (f: File) => {
    const u = uploaded.current
    if (u && u.file === f && u.kind === kind) return u.mediaId
    setProgress(0)
    const up = await uploadMedia(sessionId, f, kind, setProgress)
    uploaded.current = { file: f, kind, mediaId: up.mediaId }
    return up.mediaId
  }

  const send = async (e?: FormEvent) => {
    e?.preventDefault()
    if (!ready || sending.current) return
    sending.current = true
    setBusy(true)
    setError('')
    const idem = draftKey()
    try {
      const q = quote ? { quote: quote.id } : {}
      const body = file ? { to: chat, mediaId: await mediaId(file), ...(text ? { caption: text } : {}), ...q } : { to: chat, text, ...q }
      setProgress(null)
      const m = must(await api.POST('/api/sessions/{id}/messages', { params: { path: { id: sessionId } }, headers: { 'Idempotency-Key': idem }, body }))
      onSent(m)
      setText('')
      attach(null)
      clearQuote()
      key.reset()
      uploaded.current = null
    } catch (err) {
      setError(sendFailure(t, err, kind, file, lang))
    } finally {
      sending.current = false
      setBusy(false)
      setProgress(null)
    }
  }
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void send()
  }

  return (
    <>
      {panel && <KindPanel kind={panel} target={{ sessionId, chat, quote, clearQuote, onSent }} close={() => setPanel(null)} />}
      <form onSubmit={send} className="composer" aria-label={t('compose.title')}>
        {quote && (
          <div className="quoting" data-testid="quoting">
            <span className="grow">
              <span className="small muted">{t('compose.replyingTo', { who: quote.fromMe ? t('chats.you') : quote.senderName || quote.sender })}</span>
              <span className="quote-text">{quote.text || t(('msg.kind.' + quote.kind) as 'msg.kind.image')}</span>
            </span>
            <button type="button" className="link" onClick={clearQuote}>
              {t('compose.cancelReply')}
            </button>
          </div>
        )}
        {file && (
          <div className="attachment" data-testid="attachment">
            <FilePreview file={file} />
            <div className="grow">
              {kindsFor(file.type).length > 1 && (
                <label>
                  {t('compose.sendAs')}{' '}
                  <select value={kind} onChange={(e) => setKind(e.target.value as MediaKind)}>
                    {kindsFor(file.type).map((k) => (
                      <option key={k} value={k}>
                        {t(('msg.kind.' + k) as 'msg.kind.image')}
                      </option>
                    ))}
                  </select>
                </label>
              )}
              {problem && (
                <p role="alert" className="error">
                  {fileProblem(t, problem, file, lang)}
                </p>
              )}
            </div>
            <button type="button" className="link" onClick={() => attach(null)} disabled={busy}>
              {t('compose.remove')}
            </button>
          </div>
        )}
        <div className="row" hidden={panel !== null}>
          <label className="attach button" title={t('compose.attach')}>
            <svg aria-hidden="true" viewBox="0 0 24 24" width="20" height="20" className="icon">
              <path d="M16.5 6.5v10a4.5 4.5 0 0 1-9 0V5a3 3 0 0 1 6 0v10.5a1.5 1.5 0 0 1-3 0V6.5" />
            </svg>
            <span className="sr-only">{t('compose.attach')}</span>
            <input
              type="file"
              className="sr-only"
              disabled={busy}
              onChange={(e) => {
                attach(e.target.files?.[0] ?? null)
                e.target.value = ''
              }}
            />
          </label>
          {!file && <KindButtons open={setPanel} disabled={busy} />}
          <label className="grow">
            <span className="sr-only">{file ? t('compose.caption') : t('chats.reply')}</span>
            <textarea
              ref={input}
              rows={2}
              aria-label={file ? t('compose.caption') : t('chats.reply')}
              placeholder={file ? t('compose.caption') : ''}
              value={text}
              maxLength={limit}
              onChange={(e) => setText(e.target.value)}
              onKeyDown={onKey}
            />
          </label>
          <button type="submit" className="primary" disabled={!ready}>
            {busy ? t('compose.sending') : t('chats.send')}
          </button>
        </div>
        {progress !== null && (
          <label className="small muted">
            {t('compose.uploading', { percent: Math.round(progress * 100) })}{' '}
            <progress max={1} value={progress} />
          </label>
        )}
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
      </form>
    </>
  )
}
