import { configProvider } from '@adonisjs/core'
import { CookieClient } from '@adonisjs/core/http'
import app from '@adonisjs/core/services/app'
import encryption from '@adonisjs/core/services/encryption'
import User from '#app/users/models/user'
import { SESSION_VERSION_KEY, sessionVersionMatches } from '#app/users/session_version'
import { SESSION_COOKIE_NAME } from '#config/session'
import type { SocketUser } from '#app/realtime/socket_types'

function parseCookieHeader(header: string) {
  const cookies: Record<string, string> = {}
  for (const part of header.split(';')) {
    const index = part.indexOf('=')
    if (index < 0) continue
    const name = part.slice(0, index).trim()
    const value = part.slice(index + 1).trim()
    try {
      cookies[name] = decodeURIComponent(value)
    } catch {
      cookies[name] = value
    }
  }
  return cookies
}

let sessionConfig: any = null
async function resolvedSessionConfig() {
  sessionConfig ??= await configProvider.resolve(app, app.config.get('session'))
  return sessionConfig
}

/**
 * Resolves the logged-in user of a socket handshake from the same session the
 * HTTP guard uses: the signed session-id cookie, then the configured session
 * store (the encrypted cookie store in production, memory in HTTP tests).
 */
export async function userFromCookieHeader(cookieHeader: string | undefined): Promise<SocketUser | null> {
  if (!cookieHeader) return null
  const cookies = parseCookieHeader(cookieHeader)
  const client = new CookieClient(encryption)
  const signedSessionId = cookies[SESSION_COOKIE_NAME]
  if (!signedSessionId) return null
  const sessionId = client.unsign(SESSION_COOKIE_NAME, signedSessionId)
  if (typeof sessionId !== 'string') return null

  const config = await resolvedSessionConfig()
  const readOnlyContext = {
    request: {
      encryptedCookie: (key: string) => (cookies[key] ? client.decrypt(key, cookies[key]) : null),
      cookiesList: () => cookies,
    },
    response: { encryptedCookie() {}, clearCookie() {} },
  }
  const store = config.stores[config.store](readOnlyContext, config)
  const values = await store.read(sessionId)
  const userId = values && typeof values === 'object' ? (values as Record<string, unknown>).auth_web : null
  if (typeof userId !== 'number' && typeof userId !== 'string') return null
  const user = await User.find(userId)
  if (!user) return null
  // A cookie copied before logout (or before the user's sessions were ended) opens no socket.
  if (!sessionVersionMatches((values as Record<string, unknown>)[SESSION_VERSION_KEY], user)) return null
  return { id: user.id, schoolId: user.schoolId, role: user.role, fullName: user.fullName }
}
