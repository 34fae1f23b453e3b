/*
| The one typed event map of Aula's realtime gateway.
| ClientEvents: browser -> server (payload, and the data of a successful ack).
| ServerEvents: server -> browser.
| Plugins extend both interfaces with `declare module '#app/realtime/events'`.
*/

export type RealtimeErrorCode =
  | 'unauthenticated'
  | 'forbidden'
  | 'invalid'
  | 'too_large'
  | 'not_found'
  | 'unknown_event'
  | 'rate_limited'
  | 'plugin_disabled'
  | 'not_in_session'
  | 'conflict'
  | 'internal'

export interface RealtimeErrorBody {
  code: RealtimeErrorCode
  message: string
  details?: unknown
}

export type Ack<T = unknown> = { ok: true; data: T } | { ok: false; error: RealtimeErrorBody }

export type SessionRole = 'teacher' | 'student'

export interface Participant {
  userId: number
  fullName: string
  role: SessionRole
  handRaisedAt: string | null
  room: string
}

export interface ClientPluginConfig {
  id: string
  name: string
  enabled: boolean
  settings: Record<string, unknown>
}

export interface SessionSnapshot {
  session: { id: number; title: string; status: string; courseId: number; teacherId: number; startedAt: string | null }
  you: { userId: number; fullName: string; role: SessionRole; room: string }
  participants: Participant[]
  plugins: ClientPluginConfig[]
}

export interface ClientEvents {
  'session:join': { payload: { sessionId: number }; result: SessionSnapshot }
  'session:leave': { payload: Record<string, never>; result: null }
  'session:end': { payload: Record<string, never>; result: null }
  'presence:hand': { payload: { raised: boolean }; result: null }
  'presence:lower_hand': { payload: { userId: number }; result: null }
  'presence:lower_all_hands': { payload: Record<string, never>; result: null }
  'presence:react': { payload: { emoji: string }; result: null }
}

export interface ServerEvents {
  /*
  | Presence (see app/realtime/participant_list.ts): the full list comes with the session:join answer;
  | then one participant per change, never the whole list per join or leave (O(n) per join, not O(n²)).
  */
  /** Someone joined the class (or joined again: replace their entry). Not sent to the joiner's own tabs. */
  'presence:joined': { participant: Participant }
  /** Someone's entry changed (hand raised or lowered). */
  'presence:updated': { participant: Participant }
  /** Someone's last tab left the class. */
  'presence:left': { userId: number }
  /** The whole list, only after bulk changes: moves between rooms (breakouts), all hands lowered. */
  'presence:participants': { participants: Participant[] }
  'presence:reaction': { userId: number; fullName: string; emoji: string; at: string }
  'session:ended': { sessionId: number }
  /** The user was moved to another room of the class (e.g. a breakout); reload room-scoped state. */
  'session:room_changed': { room: string }
  'plugins:updated': { plugins: ClientPluginConfig[] }
}

export type ClientEventName = keyof ClientEvents
export type ServerEventName = keyof ServerEvents
export type PayloadOf<E extends ClientEventName> = ClientEvents[E]['payload']
export type ResultOf<E extends ClientEventName> = ClientEvents[E]['result']

/** socket.io typing helpers, shared by the server and the Vue client. */
export type ServerToClientListeners = { [E in ServerEventName]: (payload: ServerEvents[E]) => void }
export type ClientToServerListeners = {
  [E in ClientEventName]: (payload: PayloadOf<E>, ack: (response: Ack<ResultOf<E>>) => void) => void
}

export const REACTIONS = ['👍', '👏', '❤️', '😂', '😮', '🤔', '🎉', '🙋'] as const
