// MessageBody shows one message as the phone does: the message it quotes,
// its photo, player, document, place, contact card or poll, its caption or
// text, whether it was edited or deleted, its reactions and, for the user's
// own, how far it got.
import type { Message } from '../api/client'
import { usePrefs } from '../i18n'
import { formatCoordinates, mapLink, vcardPhones } from '../media'
import { Media } from './Media'

const mediaKinds = new Set(['image', 'video', 'audio', 'voice', 'document', 'sticker'])

// quoted is the message m quotes when it is on the page; takeBack, when the
// user may react, takes their own reaction back.
export function MessageBody({ m, quoted, takeBack }: { m: Message; quoted?: Message; takeBack?: () => void }) {
  const { t } = usePrefs()
  if (m.deletedAt) {
    return <em className="muted">{t('msg.deleted')}</em>
  }
  return (
    <>
      {m.quote && <Quoted m={m} quoted={quoted} />}
      {m.kind !== 'text' && <Content m={m} />}
      {m.text && <span className="msg-text">{m.text}</span>}
      {m.editedAt && <span className="small muted"> · {t('msg.edited')}</span>}
      {m.reactions && m.reactions.length > 0 && <Reactions reactions={m.reactions} takeBack={takeBack} />}
      {m.fromMe && m.status && <span className="small muted"> · {t(('msg.status.' + m.status) as 'msg.status.sent')}</span>}
    </>
  )
}

// Reactions shows each person's reaction; the user's own is highlighted and,
// when takeBack is given, a button that takes it back.
function Reactions({ reactions, takeBack }: { reactions: NonNullable<Message['reactions']>; takeBack?: () => void }) {
  const { t } = usePrefs()
  return (
    <span className="reactions" role="group" aria-label={t('msg.reactions', { n: reactions.length })}>
      {reactions.map((r) =>
        r.fromMe && takeBack ? (
          <button key={r.sender} type="button" className="reaction mine" title={t('msg.yourReaction', { emoji: r.emoji })} aria-label={t('msg.yourReaction', { emoji: r.emoji })} onClick={takeBack}>
            {r.emoji}
          </button>
        ) : (
          <span key={r.sender} className={'reaction' + (r.fromMe ? ' mine' : '')} title={t('msg.theirReaction', { emoji: r.emoji, who: r.fromMe ? t('chats.you') : r.sender })}>
            {r.emoji}
          </span>
        ),
      )}
    </span>
  )
}

// Quoted shows the message a reply quotes above it; a click goes to it.
function Quoted({ m, quoted }: { m: Message; quoted?: Message }) {
  const { t } = usePrefs()
  const who = quoted ? (quoted.fromMe ? t('chats.you') : quoted.senderName || quoted.sender) : m.quote?.sender
  const what = !quoted ? t('msg.quoted') : quoted.deletedAt ? t('msg.deleted') : quoted.text || t(('msg.kind.' + quoted.kind) as 'msg.kind.image')
  const go = () => document.getElementById('msg-' + quoted?.id)?.scrollIntoView({ block: 'center' })
  return (
    <blockquote className="quoted" data-testid="quoted">
      <span className="small muted">{who}</span>
      {quoted ? (
        <button type="button" className="link quote-text" onClick={go}>
          {what}
        </button>
      ) : (
        <span className="quote-text">{what}</span>
      )}
    </blockquote>
  )
}

function Content({ m }: { m: Message }) {
  const { t } = usePrefs()
  const label = t(('msg.kind.' + m.kind) as 'msg.kind.image')
  if (m.kind === 'location' && m.location) {
    const l = m.location
    return (
      <span className="kind">
        {label}: {[l.name, l.address].filter(Boolean).join(', ')} {formatCoordinates(l.latitude, l.longitude)}{' '}
        <a href={mapLink(l.latitude, l.longitude)} target="_blank" rel="noopener noreferrer">
          {t('msg.map')}
        </a>
      </span>
    )
  }
  if (m.kind === 'contact' && m.contacts) {
    return (
      <ul className="contacts" aria-label={label}>
        {m.contacts.map((c, i) => (
          <li key={i}>
            <strong>{c.displayName}</strong>
            {vcardPhones(c.vcard).map((p) => (
              <a key={p} href={'tel:' + p.replace(/[^\d+]/g, '')}>
                {p}
              </a>
            ))}
          </li>
        ))}
      </ul>
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
    return (
      <span className="kind">
        {label}
        {m.typeName ? ` (${m.typeName})` : ''}
      </span>
    )
  }
  if (!mediaKinds.has(m.kind)) return <span className="kind">{label}</span>
  return (
    <>
      <span className="kind">{label}</span>
      <Media m={m} />
    </>
  )
}
