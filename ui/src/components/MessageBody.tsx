// MessageBody shows one message as the phone does: its kind (photo, voice
// note, document, location, contact, poll...), caption or text, whether it was
// edited or deleted, its reactions and, for the user's own, how far it got.
import { useEffect, useState } from 'react'
import { api, type Message } from '../api/client'
import { usePrefs } from '../i18n'

const mediaKinds = new Set(['image', 'video', 'audio', 'voice', 'document', 'sticker'])

export function MessageBody({ m }: { m: Message }) {
  const { t } = usePrefs()
  if (m.deletedAt) {
    return <em className="muted">{t('msg.deleted')}</em>
  }
  return (
    <>
      {m.kind !== 'text' && <KindLine m={m} />}
      {m.text && <span className="msg-text">{m.text}</span>}
      {m.editedAt && <span className="small muted"> · {t('msg.edited')}</span>}
      {m.reactions && m.reactions.length > 0 && (
        <span className="reactions" aria-label={t('msg.reactions', { n: m.reactions.length })}>
          {m.reactions.map((r) => r.emoji).join(' ')}
        </span>
      )}
      {m.fromMe && m.status && <span className="small muted"> · {t(('msg.status.' + m.status) as 'msg.status.sent')}</span>}
    </>
  )
}

function KindLine({ m }: { m: Message }) {
  const { t } = usePrefs()
  const label = t(('msg.kind.' + m.kind) as 'msg.kind.image')
  if (m.kind === 'location' && m.location) {
    const l = m.location
    return (
      <span className="kind">
        {label}: {l.name || l.address || `${l.latitude.toFixed(5)}, ${l.longitude.toFixed(5)}`}
      </span>
    )
  }
  if (m.kind === 'contact' && m.contacts) {
    return (
      <span className="kind">
        {label}: {m.contacts.map((c) => c.displayName).join(', ')}
      </span>
    )
  }
  if (m.kind === 'poll' && m.poll) {
    return (
      <span className="kind">
        {label}: {m.poll.name} ({m.poll.options.join(' / ')})
      </span>
    )
  }
  if (m.kind === 'unsupported') {
    return <span className="kind">{label}{m.typeName ? ` (${m.typeName})` : ''}</span>
  }
  return (
    <span className="kind">
      {label}
      {m.fileName ? `: ${m.fileName}` : ''}
      {m.durationSeconds ? ` · ${m.durationSeconds}s` : ''}
      {mediaKinds.has(m.kind) && <MediaLink m={m} />}
    </span>
  )
}

// MediaLink fetches the file with the caller's credentials on demand (an
// <img src> could not send them) and shows photos inline, other files as a
// download.
function MediaLink({ m }: { m: Message }) {
  const { t } = usePrefs()
  const [url, setUrl] = useState('')
  const [failed, setFailed] = useState(false)
  useEffect(() => () => (url ? URL.revokeObjectURL(url) : undefined), [url])
  const open = async () => {
    setFailed(false)
    const r = await api.GET('/api/sessions/{id}/messages/{messageId}/media', {
      params: { path: { id: m.sessionId, messageId: m.id } },
      parseAs: 'blob',
    })
    if (r.error || !r.data) {
      setFailed(true)
      return
    }
    setUrl(URL.createObjectURL(r.data as Blob))
  }
  if (!url) {
    return (
      <>
        {' '}
        <button type="button" className="link" onClick={() => void open()}>
          {t('msg.open')}
        </button>
        {failed && <span role="alert" className="error"> {t('msg.openFailed')}</span>}
      </>
    )
  }
  if (m.kind === 'image' || m.kind === 'sticker') {
    return <img className="media" src={url} alt={m.text || t('msg.kind.' + m.kind as 'msg.kind.image')} />
  }
  if (m.kind === 'voice' || m.kind === 'audio') {
    return <audio className="media" controls src={url} />
  }
  if (m.kind === 'video') {
    return <video className="media" controls src={url} />
  }
  return (
    <>
      {' '}
      <a href={url} download={m.fileName || 'file'}>
        {t('msg.save')}
      </a>
    </>
  )
}
