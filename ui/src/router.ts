import { useEffect, useState } from 'react'

export type Page = 'actions' | 'chats' | 'sessions' | 'assistant' | 'monitor' | 'settings' | 'phone' | 'admin'
export const pages: Page[] = ['actions', 'chats', 'sessions', 'assistant', 'monitor', 'settings', 'phone', 'admin']

// parse reads the page and its query from the location.
export function parse(path: string): Page {
  const first = path.replace(/^\/+/, '').split('/')[0]
  return (pages as string[]).includes(first) ? (first as Page) : 'actions'
}

export function navigate(to: string): void {
  history.pushState(null, '', to)
  dispatchEvent(new PopStateEvent('popstate'))
}

export function useLocation(): { page: Page; params: URLSearchParams } {
  const read = () => ({ page: parse(location.pathname), params: new URLSearchParams(location.search) })
  const [loc, setLoc] = useState(read)
  useEffect(() => {
    const on = () => setLoc(read())
    addEventListener('popstate', on)
    return () => removeEventListener('popstate', on)
  }, [])
  return loc
}
