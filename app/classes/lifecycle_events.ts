/*
| Class lifecycle events on the internal event bus (AdonisJS emitter).
| Plugins subscribe with host.events.on('class:started', ...).
*/
import type { SessionRole } from '#app/realtime/events'

export interface ClassRef {
  sessionId: number
  schoolId: number
  courseId: number
  teacherId: number
  title: string
}

declare module '@adonisjs/core/types' {
  interface EventsList {
    'class:started': ClassRef & { startedAt: string }
    'class:participant_joined': ClassRef & { userId: number; role: SessionRole; at: string }
    'class:participant_left': ClassRef & { userId: number; role: SessionRole; at: string }
    'class:ended': ClassRef & { endedAt: string }
    'plugins:settings_changed': { schoolId: number; pluginId: string; userId: number | null }
  }
}
