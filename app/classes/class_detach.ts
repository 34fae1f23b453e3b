import type { RealtimeServer } from '#app/realtime/realtime_server'
import { rooms } from '#app/realtime/rooms'

/*
| When a class ends, every socket still in it is taken out, on every app process: it leaves
| all of the class's socket.io rooms (main, breakout rooms, teachers, per-user) and forgets the
| class, so every session-scoped event it sends afterwards is refused by the gateway.
*/
function detachLocally(realtime: RealtimeServer, sessionId: number) {
  const namespace = realtime.io.of('/')
  const prefix = `${rooms.session(sessionId)}:`
  for (const id of [...(namespace.adapter.rooms.get(rooms.session(sessionId)) ?? [])]) {
    const socket = namespace.sockets.get(id)
    if (!socket) continue
    if (socket.data.session?.id === sessionId) socket.data.session = null
    for (const room of [...socket.rooms]) {
      if (room === rooms.session(sessionId) || room.startsWith(prefix)) socket.leave(room)
    }
  }
}

export function detachClassSockets(realtime: RealtimeServer, sessionId: number) {
  detachLocally(realtime, sessionId)
  if (realtime.usesRedis) realtime.io.serverSideEmit('aula:class-ended', { sessionId })
}

/** Applies class ends decided on other app processes. Called once when socket.io is attached. */
export function listenForClassEnds(realtime: RealtimeServer) {
  realtime.io.on('aula:class-ended', ({ sessionId }) => detachLocally(realtime, sessionId))
}
