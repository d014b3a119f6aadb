// FilePreview shows a file about to be sent: a photo or video as it will
// look, audio with a player, anything else by its name and size.
import { useEffect, useState } from 'react'
import { usePrefs } from '../i18n'
import { baseType, formatBytes } from '../media'

export function FilePreview({ file }: { file: File }) {
  const { t, lang } = usePrefs()
  const url = useObjectUrl(file)
  const type = baseType(file.type)
  const media = type.split('/')[0]
  return (
    <figure className="preview">
      {url && media === 'image' && <img src={url} alt={t('compose.previewOf', { name: file.name })} />}
      {url && media === 'video' && <video src={url} controls aria-label={t('compose.previewOf', { name: file.name })} />}
      {url && media === 'audio' && <audio src={url} controls aria-label={t('compose.previewOf', { name: file.name })} />}
      <figcaption className="small">
        <span className="filename">{file.name}</span> · {formatBytes(file.size, lang)}
      </figcaption>
    </figure>
  )
}

// useObjectUrl is a URL for a blob while the component shows it.
export function useObjectUrl(blob: Blob | null): string {
  const [url, setUrl] = useState('')
  useEffect(() => {
    if (!blob) return setUrl('')
    const u = URL.createObjectURL(blob)
    setUrl(u)
    return () => URL.revokeObjectURL(u)
  }, [blob])
  return url
}
