/* A recording stand-in for the plugin host, for service-level unit tests with a controlled clock. */
import type { EventsList } from '@adonisjs/core/types'
import logger from '@adonisjs/core/services/logger'
import { MemorySharedState } from '#app/realtime/shared_state'
import type { InferSettings } from '#app/plugins/api'
import type { Participant } from '#app/realtime/events'
import { quizSettings } from '../settings.js'
import type { QuizHost } from '../services/run_service.js'

export interface Emitted {
  to: string
  event: string
  payload: any
}

export function fakeHost(overrides: Partial<InferSettings<typeof quizSettings>> = {}) {
  const emitted: Emitted[] = []
  const signals: { event: keyof EventsList; payload: any }[] = []
  const participants: Participant[] = []
  const settings = {
    allowAnonymous: quizSettings.allowAnonymous.default,
    defaultTimeLimitSeconds: quizSettings.defaultTimeLimitSeconds.default,
    studentResults: quizSettings.studentResults.default,
    ...overrides,
  }
  const emitter = (to: string) => ({ emit: (event: string, payload: unknown) => emitted.push({ to, event, payload }) })
  const host = {
    id: 'quizzes',
    logger,
    realtime: {
      on: () => {},
      toSession: (id: number) => emitter(`session:${id}`),
      toRoom: (id: number, room: string) => emitter(`room:${id}:${room}`),
      toTeachers: (id: number) => emitter(`teachers:${id}`),
      toUser: (id: number) => emitter(`user:${id}`),
      participants: async () => participants,
      servesSession: () => true,
    },
    events: {
      on: () => {},
      emit: async (event: keyof EventsList, payload: unknown) => {
        signals.push({ event, payload })
      },
    },
    settings: { forSchool: async () => settings, isEnabled: async () => true },
    state: new MemorySharedState().namespaced('plugin:quizzes:'),
  } as unknown as QuizHost
  return { host, emitted, signals, participants, settings }
}

/** A settable clock. */
export function fakeClock(start = Date.UTC(2026, 0, 5, 9, 0, 0)) {
  let now = start
  const clock = () => now
  clock.set = (ms: number) => (now = ms)
  clock.advance = (ms: number) => (now += ms)
  return clock
}
