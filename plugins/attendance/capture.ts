import vine from '@vinejs/vine'
import { RealtimeError } from '#app/plugins/api'
import type { AttendanceHost } from './context.js'
import { addMark } from './store.js'
import type { LiveStudent } from './events.js'
import './events.js'

/*
| Capture: every join and leave of a student (the core's presence events, emitted within 13 s of a
| silent disconnect thanks to the 5 s + 8 s heartbeat) and every tab visibility transition the
| classroom reports, written to attendance_marks at once with the server's clock, so a web process
| killed mid-class loses nothing. The live view reads a small shared hash.
*/
export const VISIBILITY_PER_MINUTE = 30
export const VISIBILITY_PER_CLASS = 600

const liveKey = (sessionId: number) => `live:${sessionId}`

export async function liveStates(host: AttendanceHost, sessionId: number): Promise<Record<string, LiveStudent['state']>> {
  return (await host.state.hgetall(liveKey(sessionId))) as Record<string, LiveStudent['state']>
}

async function setLive(host: AttendanceHost, sessionId: number, userId: number, state: LiveStudent['state']) {
  await host.state.hset(liveKey(sessionId), String(userId), state)
  host.realtime.toTeachers(sessionId).emit('attendance:changed', { userId, state })
}

export function registerCapture(host: AttendanceHost) {
  // Teachers' joins are kept too (never turned into records): they show the plugin saw the class.
  host.events.on('class:participant_joined', async (event) => {
    if (!(await host.settings.isEnabled(event.schoolId))) return
    await addMark(event.sessionId, event.userId, 'join', Date.parse(event.at))
    if (event.role === 'student') await setLive(host, event.sessionId, event.userId, 'here')
  })

  host.events.on('class:participant_left', async (event) => {
    if (!(await host.settings.isEnabled(event.schoolId))) return
    await addMark(event.sessionId, event.userId, 'leave', Date.parse(event.at))
    if (event.role === 'student') await setLive(host, event.sessionId, event.userId, 'missing')
  })

  host.events.on('class:ended', async (event) => {
    await host.state.del(liveKey(event.sessionId))
  })

  host.realtime.on('attendance:visibility', {
    roles: ['student'],
    maxBytes: 256,
    validator: vine.compile(vine.object({ hidden: vine.boolean({ strict: true }) })),
    async handle({ payload, session, user }) {
      const now = Date.now()
      const wanted = payload.hidden ? 'away' : 'here'
      const current = await host.state.hget(liveKey(session.id), String(user.id))
      if (current === wanted) return { recorded: false }
      // A flood of toggles is capped: beyond the caps nothing is recorded.
      const minute = await host.state.incr(`vis:${session.id}:${user.id}:m`, 60_000)
      const perClass = await host.state.incr(`vis:${session.id}:${user.id}:c`, 24 * 3600_000)
      if (minute > VISIBILITY_PER_MINUTE || perClass > VISIBILITY_PER_CLASS) {
        throw new RealtimeError('rate_limited', 'Too many visibility reports')
      }
      await addMark(session.id, user.id, payload.hidden ? 'hidden' : 'visible', now)
      await setLive(host, session.id, user.id, wanted)
      return { recorded: true }
    },
  })

  host.realtime.on('attendance:live', {
    roles: ['teacher'],
    validator: vine.compile(vine.object({})),
    async handle({ session }) {
      const enrolled = await host.directory.enrolments(session.schoolId, { courseIds: [session.courseId] })
      const users = await host.directory.users(session.schoolId, enrolled.map((e) => e.studentId))
      const states = await liveStates(host, session.id)
      return {
        students: users
          .filter((u) => u.role === 'student')
          .map((u) => ({ userId: u.id, fullName: u.fullName, state: states[String(u.id)] ?? 'missing' })),
      }
    },
  })
}
