import { useState } from 'react'
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
