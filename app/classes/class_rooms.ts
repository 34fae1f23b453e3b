import type { RealtimeServer } from '#app/realtime/realtime_server'
import { MAIN_ROOM, rooms } from '#app/realtime/rooms'
import { broadcastParticipants, roomAssignmentsKey, scheduleParticipantsBroadcast } from '#app/classes/presence'

/*
| Rooms inside a class ('main' and, e.g., breakout rooms). The assignment is
| authoritative in shared state, so a reconnecting user lands in the right room
| on any app process; moves are applied to live sockets on every process.
*/
interface Move {
  sessionId: number
  userId: number
  room: string
}

export async function roomOf(realtime: RealtimeServer, sessionId: number, userId: number) {
  return (await realtime.state.hget(roomAssignmentsKey(sessionId), String(userId))) ?? MAIN_ROOM
}

export async function roomAssignments(realtime: RealtimeServer, sessionId: number) {
  return realtime.state.hgetall(roomAssignmentsKey(sessionId))
}

function applyLocally(realtime: RealtimeServer, move: Move) {
  const ids = realtime.io.of('/').adapter.rooms.get(rooms.sessionUser(move.sessionId, move.userId))
  for (const id of ids ?? []) {
    const socket = realtime.io.of('/').sockets.get(id)
    const session = socket?.data.session
    if (!socket || !session || session.id !== move.sessionId || session.room === move.room) continue
    socket.leave(rooms.sessionRoom(move.sessionId, session.room))
    socket.join(rooms.sessionRoom(move.sessionId, move.room))
    session.room = move.room
    socket.emit('session:room_changed', { room: move.room })
  }
}

/** Listens for moves made on other app processes. Called once when socket.io is attached. */
export function listenForRoomMoves(realtime: RealtimeServer) {
  realtime.io.on('aula:room-move', (move) => applyLocally(realtime, move))
}

export async function moveToRoom(realtime: RealtimeServer, sessionId: number, userId: number, room: string) {
  if (room === MAIN_ROOM) await realtime.state.hdel(roomAssignmentsKey(sessionId), String(userId))
  else await realtime.state.hset(roomAssignmentsKey(sessionId), String(userId), room)
  const move = { sessionId, userId, room }
  applyLocally(realtime, move)
  if (realtime.usesRedis) realtime.io.serverSideEmit('aula:room-move', move)
  scheduleParticipantsBroadcast(realtime, sessionId)
}

/** Everyone back to the main room (e.g. when breakouts close). */
export async function returnAllToMain(realtime: RealtimeServer, sessionId: number) {
  const assignments = await roomAssignments(realtime, sessionId)
  for (const userId of Object.keys(assignments)) await moveToRoom(realtime, sessionId, Number(userId), MAIN_ROOM)
  await realtime.state.del(roomAssignmentsKey(sessionId))
  await broadcastParticipants(realtime, sessionId)
}

export async function clearRooms(realtime: RealtimeServer, sessionId: number) {
  await realtime.state.del(roomAssignmentsKey(sessionId))
}
