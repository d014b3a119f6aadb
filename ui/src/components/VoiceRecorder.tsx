// VoiceRecorder records a voice note from the microphone (the browser asks
// for it on first use), shows a running timer with stop and cancel, then
// the recording to play back before it is sent as a voice note. It records
// Ogg Opus where the browser can (Firefox) and WebM Opus elsewhere
// (Chromium), which the server turns into the Ogg Opus WhatsApp plays. A
// recording stops by itself before it outgrows a voice note's limit; one
// shorter than a second is not sent.
import { useEffect, useRef, useState } from 'react'
import { ApiError } from '../api/client'
import { uploadMedia } from '../api/upload'
import { usePrefs } from '../i18n'
import { baseType, formatDuration, MEDIA_LIMITS } from '../media'
import { MIN_VOICE_MS, recordingType, voiceFileName } from '../compose'
import { describe } from '../errors'
import { fileProblem } from './composeErrors'
import { FilePreview } from './FilePreview'
import { useSendBody, type SendTarget } from './useSendBody'

type State = { at: 'asking' } | { at: 'recording'; since: number } | { at: 'done'; file: File; ms: number; full: boolean } | { at: 'failed'; why: string }

// voiceSupported says whether this browser can record a voice note at all.
export function voiceSupported(): boolean {
  return typeof MediaRecorder !== 'undefined' && !!navigator.mediaDevices?.getUserMedia && recordingType((t) => MediaRecorder.isTypeSupported(t)) !== ''
}

export function VoiceRecorder({ target, close }: { target: SendTarget; close: () => void }) {
  const { t, lang } = usePrefs()
  const [state, setState] = useState<State>({ at: 'asking' })
  const [now, setNow] = useState(0)
  const [progress, setProgress] = useState<number | null>(null)
  const recorder = useRef<MediaRecorder | null>(null)
  const discard = useRef(false)
  const uploaded = useRef<{ file: File; mediaId: string } | null>(null)
  const { run, busy, error } = useSendBody(target)

  useEffect(() => {
    let stream: MediaStream | null = null
    let stopped = false
    discard.current = false
    const start = async () => {
      const type = recordingType((x) => MediaRecorder.isTypeSupported(x))
      try {
        stream = await navigator.mediaDevices.getUserMedia({ audio: true })
      } catch (e) {
        const denied = e instanceof DOMException && (e.name === 'NotAllowedError' || e.name === 'SecurityError')
        setState({ at: 'failed', why: denied ? t('voice.denied') : t('voice.noMic') })
        return
      }
      if (stopped) return stream.getTracks().forEach((x) => x.stop())
      const r = new MediaRecorder(stream, { mimeType: type })
      const chunks: Blob[] = []
      let size = 0
      let full = false
      const began = performance.now()
      r.ondataavailable = (e) => {
        chunks.push(e.data)
        size += e.data.size
        // A second's worth of room is left: stop before the limit.
        if (size > MEDIA_LIMITS.voice - 64 * 1024 && r.state === 'recording') {
          full = true
          r.stop()
        }
      }
      r.onstop = () => {
        stream?.getTracks().forEach((x) => x.stop())
        if (discard.current) return
        const mime = baseType(r.mimeType || type)
        const file = new File(chunks, voiceFileName(mime, new Date()), { type: mime })
        setState({ at: 'done', file, ms: performance.now() - began, full })
      }
      recorder.current = r
      r.start(1000)
      setState({ at: 'recording', since: began })
    }
    void start()
    return () => {
      stopped = true
      discard.current = true
      if (recorder.current?.state === 'recording') recorder.current.stop()
      stream?.getTracks().forEach((x) => x.stop())
    }
    // Recording starts once, when the recorder opens.
  }, [])

  useEffect(() => {
    if (state.at !== 'recording') return
    const tick = () => setNow(performance.now() - state.since)
    tick()
    const id = setInterval(tick, 250)
    return () => clearInterval(id)
  }, [state])

  const stop = () => recorder.current?.state === 'recording' && recorder.current.stop()
  const cancel = () => {
    discard.current = true
    stop()
    close()
  }
  const explain = (file: File) => (e: unknown) =>
    e instanceof ApiError && e.code === 'too_large' ? fileProblem(t, { code: 'too_large', limit: MEDIA_LIMITS.voice }, file, lang) : describe(t, e)
  const send = async (file: File) => {
    const ok = await run(async (post) => {
      let u = uploaded.current
      if (u?.file !== file) {
        setProgress(0)
        u = { file, mediaId: (await uploadMedia(target.sessionId, file, 'voice', setProgress)).mediaId }
        uploaded.current = u
      }
      setProgress(null)
      await post({ mediaId: u.mediaId })
    }, explain(file))
    setProgress(null)
    if (ok) close()
  }

  const short = state.at === 'done' && state.ms < MIN_VOICE_MS
  return (
    <section className="panel recorder" aria-label={t('voice.title')}>
      {state.at === 'asking' && <p className="small muted">{t('voice.asking')}</p>}
      {state.at === 'recording' && (
        <div className="row">
          <span className="rec-dot" aria-hidden="true" />
          <span role="timer" aria-label={t('voice.elapsed')} className="grow" data-testid="voice-timer">
            {formatDuration(now / 1000)}
          </span>
          <button type="button" className="primary" onClick={stop}>
            {t('voice.stop')}
          </button>
          <button type="button" onClick={cancel}>
            {t('common.cancel')}
          </button>
        </div>
      )}
      {state.at === 'done' && (
        <>
          <FilePreview file={state.file} />
          <p className="small muted">
            {t('voice.length', { duration: formatDuration(state.ms / 1000) })}
            {state.full ? ' · ' + t('voice.full') : ''}
          </p>
          {short && (
            <p role="alert" className="error">
              {t('voice.short')}
            </p>
          )}
          <div className="row">
            <button type="button" className="primary" disabled={busy || short} onClick={() => void send(state.file)}>
              {busy ? t('compose.sending') : t('voice.send')}
            </button>
            <button type="button" onClick={cancel} disabled={busy}>
              {t('voice.discard')}
            </button>
          </div>
        </>
      )}
      {state.at === 'failed' && (
        <>
          <p role="alert" className="error">
            {state.why}
          </p>
          <button type="button" onClick={close}>
            {t('common.close')}
          </button>
        </>
      )}
      {progress !== null && (
        <label className="small muted">
          {t('compose.uploading', { percent: Math.round(progress * 100) })} <progress max={1} value={progress} />
        </label>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </section>
  )
}
