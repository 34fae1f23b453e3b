import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import type { Session } from '@adonisjs/session'
import { rooms } from '#app/realtime/rooms'

/** Session key holding the session version of the logged-in user (see the users.session_version migration). */
export const SESSION_VERSION_KEY = 'aula_session_version'

export function rememberSessionVersion(session: Session, user: { sessionVersion: number }) {
  session.put(SESSION_VERSION_KEY, user.sessionVersion)
}

/**
 * Whether a session's stored version is the user's current one. A session without one counts as
 * version 0: sessions from before this check stay valid until the user's sessions are first ended.
 */
export function sessionVersionMatches(stored: unknown, user: { sessionVersion?: number | null }) {
  return Number(stored ?? 0) === Number(user.sessionVersion ?? 0)
}

/**
 * Ends every session of a user: cookies issued before stop working over HTTP and at the socket
 * handshake, and the user's open sockets are disconnected on every app process. Used by logout;
 * a password change or deactivation calls the same.
 */
export async function endSessionsOf(userId: number) {
  await db.from('users').where('id', userId).increment('session_version', 1)
  const realtime = await app.container.make('realtime')
  if (realtime.attached) realtime.io.in(rooms.user(userId)).disconnectSockets(true)
}
