import { lazy, Suspense, useEffect, useState, type MouseEvent } from 'react'
import type { PrefControls } from '../App'
import { api } from '../api/client'
import { clearLogin, refreshToken, updateUser, type User } from '../api/auth'
import { usePrefs, type Key } from '../i18n'
import { LiveContext, useLiveData } from '../live'
import { navigate, useLocation, type Page } from '../router'
import { unreadLabel } from './unread'
import { PrefPickers } from './Prefs'
import { ActionsPage } from './ActionsPage'

// Pages other than the inbox load on first visit, keeping the first load small.
const SessionsPage = lazy(() => import('./SessionsPage'))
const ChatsPage = lazy(() => import('./ChatsPage'))
const AssistantPage = lazy(() => import('./AssistantPage'))
const SettingsPage = lazy(() => import('./SettingsPage'))
const MonitorPage = lazy(() => import('./MonitorPage'))
const PhonePage = lazy(() => import('./PhonePage'))
const AdminPage = lazy(() => import('./AdminPage'))

export function Shell({ user, controls }: { user: User; controls: PrefControls }) {
  const { t } = usePrefs()
  const live = useLiveData()
  const { page, params } = useLocation()
  const [simulator, setSimulator] = useState(false)

  // The account as the server has it now: its time zone may have been
  // changed on another device.
  useEffect(() => {
    api.GET('/api/me').then(
      (r) => r.data && updateUser(r.data),
      () => undefined,
    )
  }, [])

  useEffect(() => {
    fetch('/sim/stats').then(
      (r) => setSimulator(r.ok),
      () => setSimulator(false),
    )
  }, [])

  const signOut = async () => {
    const rt = refreshToken()
    if (rt) await api.POST('/api/auth/logout', { body: { refreshToken: rt } }).catch(() => undefined)
    clearLogin()
    navigate('/')
  }

  const nav: Page[] = [
    'actions',
    'chats',
    'sessions',
    'assistant',
    'monitor',
    'settings',
    ...(user.role === 'admin' ? (['admin'] as Page[]) : []),
    ...(simulator ? (['phone'] as Page[]) : []),
  ]
  const go = (p: Page) => (e: MouseEvent) => {
    e.preventDefault()
    navigate('/' + p)
  }

  return (
    <LiveContext.Provider value={live}>
      <a className="skip" href="#main">
        {t('app.skip')}
      </a>
      <header className="top">
        <strong className="brand">{t('app.name')}</strong>
        <nav aria-label={t('nav.main')}>
          {nav.map((p) => (
            <a key={p} href={'/' + p} aria-current={page === p ? 'page' : undefined} onClick={go(p)}>
              {t(('nav.' + p) as Key)}
              {p === 'chats' && live.unread > 0 && (
                <>
                  <span className="badge" data-testid="nav-unread" aria-hidden="true">
                    {unreadLabel(live.unread)}
                  </span>
                  <span className="sr-only">{t('chats.unreadTotal', { n: live.unread })}</span>
                </>
              )}
            </a>
          ))}
        </nav>
        <span className={'pill stream-' + live.stream} role="status" data-testid="stream">
          {t(('stream.' + live.stream) as Key)}
        </span>
        <PrefPickers controls={controls} />
        <span className="muted who">{t('auth.signedInAs', { phone: user.phoneNumber })}</span>
        <button type="button" onClick={signOut}>
          {t('auth.signout')}
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        <Suspense fallback={<p className="muted">{t('common.loading')}</p>}>
          {page === 'actions' && <ActionsPage />}
          {page === 'sessions' && <SessionsPage />}
          {page === 'chats' && <ChatsPage params={params} />}
          {page === 'assistant' && <AssistantPage />}
          {page === 'monitor' && <MonitorPage />}
          {page === 'settings' && <SettingsPage />}
          {page === 'phone' && <PhonePage />}
          {page === 'admin' && <AdminPage admin={user.role === 'admin'} />}
        </Suspense>
      </main>
    </LiveContext.Provider>
  )
}
