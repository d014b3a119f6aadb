// CardComposer sends contact cards: a name and a phone number, written as
// the card WhatsApp writes, or one or more vCards pasted as a phone exports
// them.
import { useState, type FormEvent } from 'react'
import { usePrefs } from '../i18n'
import { cardOf, cardsOf, MAX_PLACE_TEXT } from '../compose'
import { useSendBody, type SendTarget } from './useSendBody'
import { KindFormFooter } from './KindFormFooter'

export function CardComposer({ target, close }: { target: SendTarget; close: () => void }) {
  const { t } = usePrefs()
  const [pasted, setPasted] = useState(false)
  const [name, setName] = useState('')
  const [phone, setPhone] = useState('')
  const [vcard, setVcard] = useState('')
  const [shown, setShown] = useState(false)
  const { run, busy, error } = useSendBody(target)
  const typed = cardOf(name, phone)
  const cards = pasted ? cardsOf(vcard) : typed && [typed]
  const problem = cards ? '' : pasted ? t('card.badVcard') : !name.trim() ? t('card.needName') : t('card.badPhone')

  const send = async (e: FormEvent) => {
    e.preventDefault()
    setShown(true)
    if (!cards) return
    if (await run((post) => post({ contacts: cards }))) close()
  }

  return (
    <form className="panel kind-form" aria-label={t('card.title')} onSubmit={send} noValidate>
      <h3 className="small">{t('card.title')}</h3>
      <fieldset className="row wrap">
        <legend className="sr-only">{t('card.how')}</legend>
        <label>
          <input type="radio" name="card-how" checked={!pasted} onChange={() => setPasted(false)} /> {t('card.typed')}
        </label>
        <label>
          <input type="radio" name="card-how" checked={pasted} onChange={() => setPasted(true)} /> {t('card.pasted')}
        </label>
      </fieldset>
      {pasted ? (
        <label>
          {t('card.vcard')}
          <textarea rows={4} value={vcard} onChange={(e) => setVcard(e.target.value)} aria-invalid={shown && !cards} placeholder="BEGIN:VCARD …" />
        </label>
      ) : (
        <div className="row wrap">
          <label className="grow">
            {t('card.name')}
            <input value={name} maxLength={MAX_PLACE_TEXT} autoComplete="off" onChange={(e) => setName(e.target.value)} aria-invalid={shown && !name.trim()} />
          </label>
          <label className="grow">
            {t('card.phone')}
            <input type="tel" value={phone} placeholder="+60 12-345 6789" autoComplete="off" onChange={(e) => setPhone(e.target.value)} aria-invalid={shown && !!name.trim() && !cards} />
          </label>
        </div>
      )}
      {shown && problem && (
        <p role="alert" className="error">
          {problem}
        </p>
      )}
      {cards && cards.length > 1 && <p className="small muted">{t('card.count', { n: cards.length })}</p>}
      <KindFormFooter error={error} busy={busy} sendLabel={t('card.send')} close={close} />
    </form>
  )
}
