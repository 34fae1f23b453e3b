import type { RealtimeServer } from '#app/realtime/realtime_server'
import { RealtimeError } from '#app/realtime/realtime_error'
import { rooms } from '#app/realtime/rooms'
import { roomOf } from '#app/classes/class_rooms'

/**
 * The one check for events that name another user (force a camera off, lower a hand, mute,
 * grant the pen, move to a room…): the target must be connected to the sender's class and,
 * with `sameRoom`, be in the sender's room. Anyone else — another class, another school,
 * nobody — is refused with `not_found`, and nothing is sent to them. Returns the data of one of
 * the target's sockets in the class (who they are, their role and room there).
 */
export async function requireParticipant(
  realtime: RealtimeServer,
  session: { id: number; room: string },
  userId: number,
  options: { sameRoom?: boolean } = {}
) {
  const sockets = await realtime.io.in(rooms.sessionUser(session.id, userId)).fetchSockets()
  const target = sockets.find((socket) => socket.data.session?.id === session.id)
  if (!target) throw new RealtimeError('not_found', 'That user is not in this class')
  if (options.sameRoom && (await roomOf(realtime, session.id, userId)) !== session.room) {
    throw new RealtimeError('not_found', 'That user is not in your room')
  }
  return { user: target.data.user, session: target.data.session! }
}
