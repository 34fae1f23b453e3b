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

export type AulaServer = Server<ClientToServerListeners, ServerToClientListeners, {}, SocketData>
export type AulaSocket = Socket<ClientToServerListeners, ServerToClientListeners, {}, SocketData>
