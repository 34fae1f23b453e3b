/*
| Who may send each realtime event, and how the permission matrix (permission_matrix.spec.ts)
| builds a payload for it.
|
| Every event the gateway registers needs an entry here: the matrix fails on an event it cannot
| describe, and on an event whose registered roles differ from what is written here (so removing
| `roles: ['teacher']` from an event's registration fails the matrix). A payload must pass the event's own validator (the matrix checks it), so that a refusal
| comes from the permission rule and not from a malformed payload: remove the rule and the event
| gets through to its handler, which the matrix notices.
|
| `target` holds ids taken from the class under test (class A), so that the same payloads sent from
| another class aim at class A's people and things.
*/

export interface MatrixTarget {
  sessionId: number
  teacherId: number
  /** A student of class A (also the one whose hand is raised). */
  studentId: number
  /** A chat message of class A. */
  messageId: number
  /** A quiz run launched in class A. */
  runId: number
  /** A whiteboard page of class A. */
  pageId: string
}

type PayloadBuilder = (target: MatrixTarget) => Record<string, unknown>

/**
 * Who may send an event, written down independently of the code that registers it:
 * 'teacher' / 'student': only that role inside the class; 'member': anyone taking part in the class;
 * 'anyone': any logged-in user (the handler decides, e.g. session:join checks membership itself).
 */
export type Who = 'teacher' | 'student' | 'member' | 'anyone'
export interface EventRule {
  who: Who
  payload: PayloadBuilder
}

const teacher = (payload: PayloadBuilder): EventRule => ({ who: 'teacher', payload })
const student = (payload: PayloadBuilder): EventRule => ({ who: 'student', payload })
const member = (payload: PayloadBuilder): EventRule => ({ who: 'member', payload })
const anyone = (payload: PayloadBuilder): EventRule => ({ who: 'anyone', payload })

const UUID = '6f1c7c6e-8a3b-4b7e-9a51-2f4d9e0b1c11'

export const EVENT_RULES: Record<string, EventRule> = {
  /* Core (app/classes/realtime_handlers.ts) */
  'session:join': anyone((t) => ({ sessionId: t.sessionId })),
  'session:leave': member(() => ({})),
  'session:end': teacher(() => ({})),
  'presence:hand': member(() => ({ raised: true })),
  'presence:lower_hand': teacher((t) => ({ userId: t.studentId })),
  'presence:lower_all_hands': teacher(() => ({})),
  'presence:react': member(() => ({ emoji: '👍' })),

  /* Chat */
  'chat:history': member(() => ({})),
  'chat:send': member(() => ({ body: 'matrix message' })),
  'chat:delete': teacher((t) => ({ messageId: t.messageId })),
  'chat:mute': teacher((t) => ({ userId: t.studentId, muted: true })),

  /* Breakouts */
  'breakouts:state': member(() => ({})),
  'breakouts:open': teacher(() => ({ strategy: 'random', roomCount: 2, durationMinutes: 10 })),
  'breakouts:move': teacher((t) => ({ userId: t.studentId, roomKey: 'b1' })),
  'breakouts:rename': teacher(() => ({ roomKey: 'b1', name: 'Renamed by the matrix' })),
  'breakouts:choose': student(() => ({ roomKey: 'b1' })),
  'breakouts:hop': teacher(() => ({ roomKey: 'b1' })),
  'breakouts:broadcast': teacher(() => ({ text: 'matrix broadcast' })),
  'breakouts:extend': teacher(() => ({ minutes: 5 })),
  'breakouts:close_room': teacher(() => ({ roomKey: 'b1' })),
  'breakouts:close': teacher(() => ({})),

  /* Quizzes */
  'quizzes:state': member(() => ({})),
  'quizzes:library': teacher(() => ({})),
  'quizzes:launch': teacher(() => ({
    question: { type: 'single', prompt: 'Matrix?', options: [{ label: 'yes', correct: true }, { label: 'no' }] },
  })),
  'quizzes:answer': student((t) => ({ runId: t.runId, optionIds: ['a'] })),
  'quizzes:close': teacher((t) => ({ runId: t.runId })),
  'quizzes:reveal': teacher((t) => ({ runId: t.runId })),
  'quizzes:mark': teacher((t) => ({ runId: t.runId, key: 'matrix', correct: true })),

  /* Whiteboard */
  'whiteboard:open': member(() => ({})),
  'whiteboard:page': member((t) => ({ pageId: t.pageId })),
  'whiteboard:update': member((t) => ({
    pageId: t.pageId,
    elements: [{ id: 'matrix-rect', type: 'rectangle', version: 1, versionNonce: 1, isDeleted: false, x: 0, y: 0, width: 10, height: 10 }],
  })),
  'whiteboard:stroke': member((t) => ({ pageId: t.pageId, elementId: 'matrix-stroke', points: [[0, 0]] })),
  'whiteboard:cursor': member(() => ({ x: 1, y: 1, laser: false })),
  'whiteboard:viewport': teacher(() => ({ scrollX: 0, scrollY: 0, zoom: 1, width: 800, height: 600 })),
  'whiteboard:follow': teacher(() => ({ enabled: true, locked: true })),
  'whiteboard:pen': teacher((t) => ({ userId: t.studentId, granted: true })),
  'whiteboard:page_add': teacher(() => ({ title: 'Matrix page' })),
  'whiteboard:page_switch': teacher((t) => ({ pageId: t.pageId })),
  'whiteboard:thumbnail': teacher(() => ({ room: 'main' })),
  'whiteboard:room_boards': teacher(() => ({})),
  'whiteboard:pull': teacher(() => ({ room: 'b1' })),

  /* Video */
  'video:join': member(() => ({})),
  'video:transport': member(() => ({ direction: 'send' })),
  'video:connect': member(() => ({ transportId: UUID, dtlsParameters: {} })),
  'video:produce': member(() => ({ transportId: UUID, kind: 'video', rtpParameters: {}, source: 'camera' })),
  'video:consume': member(() => ({ transportId: UUID, producerId: UUID, rtpCapabilities: {} })),
  'video:resume_consumer': member(() => ({ consumerId: UUID })),
  'video:layers': member(() => ({ consumerId: UUID, spatialLayer: 0 })),
  'video:set_paused': member(() => ({ producerId: UUID, paused: true })),
  'video:close_producer': member(() => ({ producerId: UUID })),
  'video:force_off': teacher((t) => ({ userId: t.studentId, source: 'camera' })),
  'video:stage': teacher(() => ({ mode: 'screen' })),
  'video:ice_servers': member(() => ({})),
  'video:restart_ice': member(() => ({ transportId: UUID })),
  'video:viewers': teacher(() => ({})),
  'video:lecture_mode': teacher(() => ({ on: false })),
  'video:on_stage': teacher((t) => ({ userId: t.studentId, on: true })),
  'video:audio_only': member(() => ({ on: true })),
  'video:quality': member(() => ({ level: 'poor' })),

  /* Engagement */
  'engagement:watch': teacher(() => ({})),
  'engagement:mine': student(() => ({})),

  /* Attendance */
  'attendance:visibility': student(() => ({ hidden: true })),
  'attendance:live': teacher(() => ({})),

  /* Recording */
  'recording:status': member(() => ({})),
}
