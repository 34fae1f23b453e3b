import { CookieClient } from '@adonisjs/core/http'
import encryption from '@adonisjs/core/services/encryption'
import User from '#app/users/models/user'
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

/**
 * Resolves the logged-in user from the same encrypted session cookie the
 * HTTP guard uses, so a socket is exactly as authenticated as the page.
 */
export async function userFromCookieHeader(cookieHeader: string | undefined): Promise<SocketUser | null> {
  if (!cookieHeader) return null
  const cookies = parseCookieHeader(cookieHeader)
  const client = new CookieClient(encryption)
  const cookieName = SESSION_COOKIE_NAME
  const signedSessionId = cookies[cookieName]
  if (!signedSessionId) return null
  const sessionId = client.unsign(cookieName, signedSessionId)
  if (typeof sessionId !== 'string' || !cookies[sessionId]) return null
  const values = client.decrypt(sessionId, cookies[sessionId])
  const userId = values && typeof values === 'object' ? (values as Record<string, unknown>).auth_web : null
  if (typeof userId !== 'number' && typeof userId !== 'string') return null
  const user = await User.find(userId)
  if (!user) return null
  return { id: user.id, schoolId: user.schoolId, role: user.role, fullName: user.fullName }
}
