import { useEffect, useRef, useState } from 'react'
import { updateUser, type User } from '../api/auth'
import { api, must, type Schemas } from '../api/client'
import { describe } from '../errors'
import { usePrefs } from '../i18n'

// useSaveMe saves the account's settings (PATCH /api/me) and keeps the
// signed-in user current; err and saving belong to the form that asked.
export function useSaveMe() {
  const { t } = usePrefs()
  const [err, setErr] = useState('')
  const [saving, setSaving] = useState(false)
  const save = async (body: Schemas['MeUpdate']): Promise<User | null> => {
    setErr('')
    setSaving(true)
    try {
      const u = must(await api.PATCH('/api/me', { body }))
      updateUser(u)
      return u
    } catch (x) {
      setErr(describe(t, x))
      return null
    } finally {
      setSaving(false)
    }
  }
  return { err, saving, save }
}

// useLoadMe reads the account (GET /api/me) when the form mounts and hands
// it to loaded, unless the form is gone by then; the answer is the error
// to show when the read failed.
export function useLoadMe(loaded: (me: User) => void, before?: () => Promise<void>): string {
  const { t } = usePrefs()
  const [loadErr, setLoadErr] = useState('')
  const done = useRef(loaded)
  done.current = loaded
  const first = useRef(before)
  useEffect(() => {
    let live = true
    void (async () => {
      try {
        await first.current?.()
        const me = must(await api.GET('/api/me'))
        if (live) done.current(me)
      } catch (x) {
        if (live) setLoadErr(describe(t, x))
      }
    })()
    return () => {
      live = false
    }
  }, [t])
  return loadErr
}
