/*
| Activity signals: what students do in a class, published on the internal event bus by the
| plugin that sees it (video, quizzes, chat, whiteboard, attendance) and read by whoever scores
| engagement. The core owns this contract so that no plugin imports another: a publisher calls
| `host.events.emit('activity:signal', …)`, a reader `host.events.on('activity:signal', …)`.
|
| Every signal is a server-side observation (never a client's claim), stamped with the class it
| belongs to and the time it happened (ISO 8601). Publishers may send signals about anyone in the
| class; readers that score students ignore the teachers'.
*/
import type { ClassRef } from '#app/classes/lifecycle_events'

/** The five measured signals and the plugin that produces each (its id, not an import). */
export const ACTIVITY_SIGNAL_SOURCES = {
  camera: 'video',
  quiz: 'quizzes',
  chat: 'chat',
  whiteboard: 'whiteboard',
  attendance: 'attendance',
} as const

export type ActivitySignalName = keyof typeof ACTIVITY_SIGNAL_SOURCES

export type AttendanceStatus = 'present' | 'late' | 'left_early' | 'inactive' | 'absent' | 'excused'

export type ActivitySignal =
  /** A student's camera producer started (on) or stopped/paused (off). */
  | { kind: 'camera'; userId: number; on: boolean }
  /** A quiz question or poll was opened to the class; students who never answer it score 0 for it. */
  | { kind: 'quiz_opened'; questionKey: string }
  /** A student answered; responseMs is measured by the server from the question's opening. */
  | { kind: 'quiz_answered'; userId: number; questionKey: string; responseMs: number }
  /** The question closed: no more answers will come for it. */
  | { kind: 'quiz_closed'; questionKey: string }
  /** A chat message the student sent (accepted by the server). */
  | { kind: 'chat_message'; userId: number }
  /** Whiteboard edits or strokes by the student, counted by the server (batched: count ≥ 1). */
  | { kind: 'whiteboard_edit'; userId: number; count: number }
  /**
   * The student's attendance for the class, published when the class ends (and again when a
   * teacher overrides the status). Sent for every enrolled student, absent ones included.
   */
  | {
      kind: 'attendance'
      userId: number
      presentMs: number
      activeMs: number
      classMs: number
      status: AttendanceStatus
    }

/** The signal that a kind of event feeds (e.g. every quiz_* kind feeds 'quiz'). */
export const ACTIVITY_SIGNAL_OF_KIND = {
  camera: 'camera',
  quiz_opened: 'quiz',
  quiz_answered: 'quiz',
  quiz_closed: 'quiz',
  chat_message: 'chat',
  whiteboard_edit: 'whiteboard',
  attendance: 'attendance',
} as const satisfies Record<ActivitySignal['kind'], ActivitySignalName>

/**
 * The class a signal belongs to. Publishers that hold a whole ClassRef may pass it; the
 * teacher and title are optional because handlers of socket events know only the ids.
 */
export type ActivitySignalClass = Pick<ClassRef, 'sessionId' | 'schoolId' | 'courseId'> &
  Partial<Pick<ClassRef, 'teacherId' | 'title'>>

export type ActivitySignalEvent = ActivitySignalClass & { at: string } & ActivitySignal

declare module '@adonisjs/core/types' {
  interface EventsList {
    'activity:signal': ActivitySignalEvent
  }
}
