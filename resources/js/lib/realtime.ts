import { io, type Socket } from 'socket.io-client'
import type {
  Ack,
  ClientEventName,
  ClientToServerListeners,
  PayloadOf,
  RealtimeErrorBody,
  ResultOf,
  ServerToClientListeners,
} from '../../../app/realtime/events'

export type AulaClientSocket = Socket<ServerToClientListeners, ClientToServerListeners>

export class RealtimeRequestError extends Error {
  code: RealtimeErrorBody['code']
  details?: unknown
  constructor(body: RealtimeErrorBody) {
    super(body.message)
    this.code = body.code
    this.details = body.details
  }
}

/** Opens the classroom socket; the session cookie authenticates it, reconnection is automatic. */
export function connectRealtime(): AulaClientSocket {
  return io({ transports: ['websocket', 'polling'], reconnectionDelay: 500, reconnectionDelayMax: 4000 })
}

/** Emits an event and resolves with the ack's data, or rejects with the server's error. */
export function request<E extends ClientEventName>(socket: AulaClientSocket, event: E, payload: PayloadOf<E>, timeoutMs = 10000) {
  return new Promise<ResultOf<E>>((resolve, reject) => {
    ;(socket.timeout(timeoutMs) as any).emit(event, payload, (error: Error | null, response: Ack<ResultOf<E>>) => {
      if (error) return reject(new RealtimeRequestError({ code: 'internal', message: 'The server did not answer in time' }))
      if (response.ok) resolve(response.data)
      else reject(new RealtimeRequestError(response.error))
    })
  })
}
