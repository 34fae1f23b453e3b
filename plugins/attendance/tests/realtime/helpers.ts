import db from '@adonisjs/lucid/services/db'
import emitter from '@adonisjs/core/services/emitter'
import type { ActivitySignalEvent } from '#app/plugins/api'
import { eventually } from '#tests/helpers/poll'

export const recordsOf = async (sessionId: number) =>
  eventually(`attendance of class ${sessionId} is finalized`, async () => {
    const rows = await db.from('attendance_records').where('class_session_id', sessionId)
    return rows.length ? new Map(rows.map((r) => [Number(r.user_id), r])) : null
  })

export const marksOf = (sessionId: number, userId: number) =>
  db.from('attendance_marks').where({ class_session_id: sessionId, user_id: userId }).orderBy('at_ms').orderBy('id')

/** Collects the attendance activity signals this process publishes. */
export function signalRecorder() {
  const signals: ActivitySignalEvent[] = []
  const listener = (signal: ActivitySignalEvent) => {
    if (signal.kind === 'attendance') signals.push(signal)
  }
  emitter.on('activity:signal', listener)
  return { signals, stop: () => emitter.off('activity:signal', listener) }
}

/** Resolves once `condition` holds (a state of the world, not a duration). */
export const until = (description: string, condition: () => boolean, timeoutMs = 30_000) =>
  eventually(description, () => condition() || null, { timeoutMs, intervalMs: 50 })
