// The composer's other kinds: a button for each (a place, contact cards, a
// voice note when the browser can record one) and the panel it opens.
import { usePrefs, type Key } from '../i18n'
import { CardComposer } from './CardComposer'
import { PlaceComposer } from './PlaceComposer'
import type { SendTarget } from './useSendBody'
import { VoiceRecorder, voiceSupported } from './VoiceRecorder'

export type Kind = 'place' | 'card' | 'voice'

// Icons: a map pin, a person, a microphone (24 px, stroked like the attach icon).
const icons: Record<Kind, string> = {
  place: 'M12 21s-7-6.2-7-11.5a7 7 0 0 1 14 0C19 14.8 12 21 12 21zM12 12.5a3 3 0 1 0 0-6 3 3 0 0 0 0 6z',
  card: 'M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM4.5 20.5a7.5 7.5 0 0 1 15 0',
  voice: 'M12 15a3 3 0 0 0 3-3V6a3 3 0 0 0-6 0v6a3 3 0 0 0 3 3zM6 11.5a6 6 0 0 0 12 0M12 17.5V21',
}

export function KindButtons({ open, disabled }: { open: (k: Kind) => void; disabled: boolean }) {
  const { t } = usePrefs()
  const kinds: Kind[] = voiceSupported() ? ['place', 'card', 'voice'] : ['place', 'card']
  return (
    <>
      {kinds.map((k) => (
        <button key={k} type="button" className="attach" title={t(('compose.open.' + k) as Key)} aria-label={t(('compose.open.' + k) as Key)} disabled={disabled} onClick={() => open(k)}>
          <svg aria-hidden="true" viewBox="0 0 24 24" width="20" height="20" className="icon">
            <path d={icons[k]} />
          </svg>
        </button>
      ))}
    </>
  )
}

export function KindPanel({ kind, target, close }: { kind: Kind; target: SendTarget; close: () => void }) {
  if (kind === 'place') return <PlaceComposer target={target} close={close} />
  if (kind === 'card') return <CardComposer target={target} close={close} />
  return <VoiceRecorder target={target} close={close} />
}
