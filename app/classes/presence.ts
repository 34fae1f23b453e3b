import type { RealtimeServer } from '#app/realtime/realtime_server'
import type { Participant } from '#app/realtime/events'
import { rooms } from '#app/realtime/rooms'

const handsKey = (sessionId: number) => `class:${sessionId}:hands`
/** Who is in which room of a class (absent: 'main'); authoritative across processes. */
export const roomAssignmentsKey = (sessionId: number) => `class:${sessionId}:rooms`

/** Everyone connected to a class, across all app processes, one entry per user. */
export async function participantsOf(realtime: RealtimeServer, sessionId: number): Promise<Participant[]> {
  const [sockets, hands, assignments] = await Promise.all([
    realtime.io.in(rooms.session(sessionId)).fetchSockets(),
    realtime.state.hgetall(handsKey(sessionId)),
    realtime.state.hgetall(roomAssignmentsKey(sessionId)),
  ])
  const byUser = new Map<number, Participant>()
  for (const socket of sockets) {
    const { user, session } = socket.data
    if (!session || byUser.has(user.id)) continue
    byUser.set(user.id, {
      userId: user.id,
      fullName: user.fullName,
      role: session.role,
      // The shared assignment, not the socket's copy: a move made on another process may still be in flight.
      room: assignments[String(user.id)] ?? session.room,
      handRaisedAt: hands[String(user.id)] ?? null,
    })
  }
  return [...byUser.values()].sort((a, b) =>
    a.role === b.role ? a.fullName.localeCompare(b.fullName) : a.role === 'teacher' ? -1 : 1
  )
}

export async function broadcastParticipants(realtime: RealtimeServer, sessionId: number) {
  const participants = await participantsOf(realtime, sessionId)
  realtime.to(rooms.session(sessionId)).emit('presence:participants', { participants })
  return participants
}

const pendingBroadcasts = new Map<number, NodeJS.Timeout>()

/** Coalesces bursts (e.g. a whole class moved into breakout rooms) into one participants broadcast. */
export function scheduleParticipantsBroadcast(realtime: RealtimeServer, sessionId: number, delayMs = 100) {
  if (pendingBroadcasts.has(sessionId)) return
  const timer = setTimeout(() => {
    pendingBroadcasts.delete(sessionId)
    broadcastParticipants(realtime, sessionId).catch(() => {})
  }, delayMs)
  timer.unref()
  pendingBroadcasts.set(sessionId, timer)
}

export async function setHand(realtime: RealtimeServer, sessionId: number, userId: number, raised: boolean) {
  if (raised) await realtime.state.hset(handsKey(sessionId), String(userId), new Date().toISOString())
  else await realtime.state.hdel(handsKey(sessionId), String(userId))
}

export async function lowerAllHands(realtime: RealtimeServer, sessionId: number) {
  await realtime.state.del(handsKey(sessionId))
}

export async function isUserConnected(realtime: RealtimeServer, sessionId: number, userId: number) {
  const sockets = await realtime.io.in(rooms.sessionUser(sessionId, userId)).fetchSockets()
  return sockets.length > 0
}
