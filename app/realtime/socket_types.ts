import type { Server, Socket } from 'socket.io'
import type { Role } from '#app/users/roles'
import type { ClientToServerListeners, ServerToClientListeners, SessionRole } from '#app/realtime/events'

export interface SocketUser {
  id: number
  schoolId: number
  role: Role
  fullName: string
}

export interface SocketSession {
  id: number
  schoolId: number
  courseId: number
  teacherId: number
  role: SessionRole
  room: string
}

export interface SocketData {
  user: SocketUser
  session: SocketSession | null
}

/** Events between app processes (socket.io serverSideEmit over the Redis adapter). */
export interface InterServerEvents {
  'aula:room-move': (move: { sessionId: number; userId: number; room: string }) => void
  'aula:class-ended': (end: { sessionId: number }) => void
}

export type AulaServer = Server<ClientToServerListeners, ServerToClientListeners, InterServerEvents, SocketData>
export type AulaSocket = Socket<ClientToServerListeners, ServerToClientListeners, InterServerEvents, SocketData>
