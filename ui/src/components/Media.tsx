// Media shows a message's file in the conversation: photos and stickers
// inline (a click opens them full size), video and audio in the browser's
// player, documents as a card with a download button. The bytes need the
// caller's token, which an <img src> cannot carry, so they are fetched as a
// blob, shown through an object URL and released when the message leaves the
// page; photos and players fetch only once they scroll into view.
import { useCallback, useEffect, useRef, useState } from 'react'
import { api, must, type Message } from '../api/client'
import { usePrefs } from '../i18n'
import { formatBytes, formatDuration } from '../media'
import { useObjectUrl } from './FilePreview'

export function Media({ m }: { m: Message }) {
  if (m.kind === 'document') return <DocumentCard m={m} />
  return <Inline m={m} />
}

function Inline({ m }: { m: Message }) {
  const { t } = usePrefs()
  const box = useRef<HTMLDivElement>(null)
  const seen = useInView(box)
  const { url, failed, retry } = useMedia(m, seen)
  const label = m.text || t(('msg.kind.' + m.kind) as 'msg.kind.image')
  const ratio = m.width && m.height ? { aspectRatio: `${m.width} / ${m.height}` } : undefined
  return (
    <div ref={box} className={'media-box ' + m.kind} data-testid="media">
      {failed && <Failed retry={retry} />}
      {!url && !failed && <span className="media-wait small muted">{t('common.loading')}</span>}
      {url && (m.kind === 'image' || m.kind === 'sticker') && <Picture url={url} alt={label} ratio={ratio} />}
      {url && m.kind === 'video' && <video className="media" controls preload="metadata" src={url} aria-label={label} />}
      {url && (m.kind === 'audio' || m.kind === 'voice') && <audio className="media" controls preload="metadata" src={url} aria-label={label} />}
      {m.durationSeconds ? <span className="small muted">{formatDuration(m.durationSeconds)}</span> : null}
    </div>
  )
}

// Picture is a thumbnail that opens the photo full size in a dialog.
function Picture({ url, alt, ratio }: { url: string; alt: string; ratio?: { aspectRatio: string } }) {
  const { t } = usePrefs()
  const dialog = useRef<HTMLDialogElement>(null)
  return (
    <>
      <button type="button" className="thumb" onClick={() => dialog.current?.showModal()} aria-label={t('msg.openFull', { name: alt })}>
        <img className="media" src={url} alt={alt} style={ratio} />
      </button>
      <dialog ref={dialog} className="viewer" onClick={(e) => e.target === dialog.current && dialog.current?.close()}>
        <img src={url} alt={alt} />
        <form method="dialog">
          <button type="submit">{t('common.close')}</button>
        </form>
      </dialog>
    </>
  )
}

// DocumentCard names the file and fetches it only when asked to save it.
function DocumentCard({ m }: { m: Message }) {
  const { t, lang } = usePrefs()
  const [busy, setBusy] = useState(false)
  const [failed, setFailed] = useState(false)
  const name = m.fileName || t('msg.kind.document')
  const download = async () => {
    setBusy(true)
    setFailed(false)
    try {
      save(await fetchMedia(m), m.fileName || 'file')
    } catch {
      setFailed(true)
    } finally {
      setBusy(false)
    }
  }
  return (
    <div className="doc-card" data-testid="document">
      <span className="doc-icon" aria-hidden="true">
        📄
      </span>
      <span className="grow">
        <span className="filename">{name}</span>
        <span className="small muted">{[m.size ? formatBytes(m.size, lang) : '', m.mimeType ?? ''].filter(Boolean).join(' · ')}</span>
      </span>
      <button type="button" onClick={() => void download()} disabled={busy} aria-label={t('msg.downloadName', { name })}>
        {busy ? t('common.loading') : t('msg.download')}
      </button>
      {failed && <Failed retry={() => void download()} />}
    </div>
  )
}

function Failed({ retry }: { retry: () => void }) {
  const { t } = usePrefs()
  return (
    <span role="alert" className="error small">
      {t('msg.openFailed')}{' '}
      <button type="button" className="link" onClick={retry}>
        {t('common.retry')}
      </button>
    </span>
  )
}

async function fetchMedia(m: Message): Promise<Blob> {
  const r = await api.GET('/api/sessions/{id}/messages/{messageId}/media', { params: { path: { id: m.sessionId, messageId: m.id } }, parseAs: 'blob' })
  return must(r) as Blob
}

// save hands a fetched file to the browser's downloads under its name.
function save(blob: Blob, name: string) {
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = name
  document.body.append(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 60_000)
}

// useMedia fetches a message's file once enabled; retry fetches it again.
function useMedia(m: Message, enabled: boolean) {
  const [blob, setBlob] = useState<Blob | null>(null)
  const [failed, setFailed] = useState(false)
  const [attempt, setAttempt] = useState(0)
  useEffect(() => {
    if (!enabled) return
    let live = true
    setFailed(false)
    fetchMedia(m).then(
      (b) => live && setBlob(b),
      () => live && setFailed(true),
    )
    return () => {
      live = false
    }
  }, [enabled, m.sessionId, m.id, attempt])
  const retry = useCallback(() => setAttempt((n) => n + 1), [])
  return { url: useObjectUrl(blob), failed, retry }
}

// useInView turns true once the element comes near the visible part of the
// page, and stays true.
function useInView(ref: React.RefObject<HTMLElement | null>): boolean {
  const [seen, setSeen] = useState(false)
  useEffect(() => {
    const el = ref.current
    if (!el || seen) return
    if (typeof IntersectionObserver === 'undefined') return setSeen(true)
    const io = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && setSeen(true), { rootMargin: '200px' })
    io.observe(el)
    return () => io.disconnect()
  }, [ref, seen])
  return seen
}
