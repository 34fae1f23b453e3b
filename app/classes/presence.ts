import type { RealtimeServer } from '#app/realtime/realtime_server'
import type { Participant } from '#app/realtime/events'
import { rooms } from '#app/realtime/rooms'
import { compareParticipants } from '#app/realtime/participant_list'

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
  return [...byUser.values()].sort(compareParticipants)
}

/*
| Presence deltas: one participant per join, change or leave, to the members of the class. The whole
| list goes only to a joiner (its session:join answer) and after bulk changes (broadcastParticipants).
*/

/**
 * What the class was last told about each participant (userId → the entry as sent). A join that
 * changes nothing for the others (a second tab, a reconnect after a web process died) is not
 * announced again: a reconnect storm of N members of a class of M would otherwise send N × M messages.
 */
const announcedKey = (sessionId: number) => `class:${sessionId}:announced`
const entryOf = (p: Participant) => JSON.stringify([p.userId, p.fullName, p.role, p.room, p.handRaisedAt])

/**
 * A joiner's list: everyone connected, plus whoever the class was told about and has not been told
 * gone (members of a web process that died, reconnecting or not yet swept): the joiner's list must
 * hold what the others' lists hold, since a reconnect that changes nothing is not announced.
 */
export async function participantsForJoiner(realtime: RealtimeServer, sessionId: number, connected: Participant[]) {
  const known = new Set(connected.map((p) => p.userId))
  const announced = await realtime.state.hgetall(announcedKey(sessionId))
  const others = Object.entries(announced)
    .filter(([userId]) => !known.has(Number(userId)))
    .map(([, entry]) => {
      const [userId, fullName, role, room, handRaisedAt] = JSON.parse(entry)
      return { userId, fullName, role, room, handRaisedAt } as Participant
    })
  return [...connected, ...others].sort(compareParticipants)
}

/** Tells the class someone joined; their own tabs are left out (the joiner has its snapshot). */
export async function announceJoined(realtime: RealtimeServer, sessionId: number, participant: Participant) {
  const entry = entryOf(participant)
  if ((await realtime.state.hget(announcedKey(sessionId), String(participant.userId))) === entry) return
  await realtime.state.hset(announcedKey(sessionId), String(participant.userId), entry)
  realtime.to(rooms.session(sessionId), rooms.sessionUser(sessionId, participant.userId)).emit('presence:joined', { participant })
}

export async function announceUpdated(realtime: RealtimeServer, sessionId: number, participant: Participant) {
  await realtime.state.hset(announcedKey(sessionId), String(participant.userId), entryOf(participant))
  realtime.to(rooms.session(sessionId)).emit('presence:updated', { participant })
}

export async function announceLeft(realtime: RealtimeServer, sessionId: number, userId: number) {
  await realtime.state.hdel(announcedKey(sessionId), String(userId))
  realtime.to(rooms.session(sessionId)).emit('presence:left', { userId })
}

/** The whole list to every member: only after bulk changes (moves between rooms, all hands lowered). */
export async function broadcastParticipants(realtime: RealtimeServer, sessionId: number) {
  const participants = await participantsOf(realtime, sessionId)
  // What the class is told now replaces what it was told before (someone absent from the list is gone for the members).
  await realtime.state.del(announcedKey(sessionId))
  await Promise.all(participants.map((p) => realtime.state.hset(announcedKey(sessionId), String(p.userId), entryOf(p))))
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

/** Raises or lowers a hand; returns the raise time now stored (null: lowered). */
export async function setHand(realtime: RealtimeServer, sessionId: number, userId: number, raised: boolean): Promise<string | null> {
  if (!raised) {
    await realtime.state.hdel(handsKey(sessionId), String(userId))
    return null
  }
  const at = new Date().toISOString()
  await realtime.state.hset(handsKey(sessionId), String(userId), at)
  return at
}

export async function lowerAllHands(realtime: RealtimeServer, sessionId: number) {
  await realtime.state.del(handsKey(sessionId))
}

export async function isUserConnected(realtime: RealtimeServer, sessionId: number, userId: number) {
  const sockets = await realtime.io.in(rooms.sessionUser(sessionId, userId)).fetchSockets()
  return sockets.length > 0
}
