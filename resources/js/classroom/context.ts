import { getCurrentInstance, inject, onBeforeUnmount, type InjectionKey } from 'vue'
import type {
  ClientEventName,
  ClientPluginConfig,
  Participant,
  PayloadOf,
  ResultOf,
  ServerEventName,
  ServerEvents,
  SessionSnapshot,
} from '../../../app/realtime/events'
import type { AulaClientSocket } from '~/lib/realtime'

export interface ClassroomState {
  connected: boolean
  joined: boolean
  session: SessionSnapshot['session'] | null
  you: SessionSnapshot['you'] | null
  participants: Participant[]
  plugins: Record<string, ClientPluginConfig>
  ended: boolean
  /** What the main stage shows; plugins (media, whiteboard) switch it. */
  stage: string
  /** The side panel the user is looking at (its slot key), or null while the panel is closed. */
  panel: string | null
  /** Names people gave to rooms other than the main room, by room key (breakouts publishes them). */
  roomNames: Record<string, string>
}

/** What the classroom gives to every part mounted in it, core or plugin. */
export interface ClassroomContext {
  socket: AulaClientSocket
  state: ClassroomState
  request<E extends ClientEventName>(event: E, payload: PayloadOf<E>): Promise<ResultOf<E>>
  /** Listens to a server event until the calling component unmounts. */
  on<E extends ServerEventName>(event: E, handler: (payload: ServerEvents[E]) => void): () => void
  /** Runs after every (re)join, e.g. to reload history after a reconnect. */
  onJoined(handler: () => void): () => void
  isTeacher(): boolean
}

export const CLASSROOM: InjectionKey<ClassroomContext> = Symbol('classroom')

export function useClassroom(): ClassroomContext {
  const context = inject(CLASSROOM)
  if (!context) throw new Error('useClassroom() must be used inside the classroom page')
  if (!getCurrentInstance()) return context
  const cleanups: (() => void)[] = []
  onBeforeUnmount(() => cleanups.forEach((c) => c()))
  return {
    ...context,
    on(event, handler) {
      const off = context.on(event, handler)
      cleanups.push(off)
      return off
    },
    onJoined(handler) {
      const off = context.onJoined(handler)
      cleanups.push(off)
      return off
    },
  }
}
