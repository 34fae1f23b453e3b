import vine from '@vinejs/vine'
import { RealtimeError } from '#app/plugins/api'
import type { AttendanceHost } from './context.js'
import { addMark } from './store.js'
import type { LiveStudent } from './events.js'
import { pushSafely } from './push.js'
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
/** The course's class that is live now (set at each student's presence change, removed when it ends). */
const courseLiveKey = (courseId: number) => `course-live:${courseId}`

export async function liveStates(host: AttendanceHost, sessionId: number): Promise<Record<string, LiveStudent['state']>> {
  return (await host.state.hgetall(liveKey(sessionId))) as Record<string, LiveStudent['state']>
}

/** How many students are here and away in each course's live class (the dashboards' live counts). */
export async function liveCounts(host: AttendanceHost, courseIds: number[]) {
  const counts = new Map<number, { here: number; away: number }>()
  for (const courseId of courseIds) {
    const sessionId = await host.state.get(courseLiveKey(courseId))
    if (!sessionId) continue
    const states = Object.values(await liveStates(host, Number(sessionId)))
    counts.set(courseId, { here: states.filter((s) => s === 'here').length, away: states.filter((s) => s === 'away').length })
  }
  return counts
}

/** Where a student is in class right now (here or away), among the courses given. */
export async function liveOfStudent(host: AttendanceHost, courses: { id: number; name: string }[], studentId: number) {
  const live: { courseId: number; name: string; state: 'here' | 'away' }[] = []
  for (const course of courses) {
    const sessionId = await host.state.get(courseLiveKey(course.id))
    const state = sessionId ? await host.state.hget(liveKey(Number(sessionId)), String(studentId)) : null
    if (state === 'here' || state === 'away') live.push({ courseId: course.id, name: course.name, state })
  }
  return live
}

async function setLive(host: AttendanceHost, session: { id: number; schoolId: number; courseId: number }, userId: number, state: LiveStudent['state']) {
  await host.state.hset(liveKey(session.id), String(userId), state)
  await host.state.set(courseLiveKey(session.courseId), String(session.id), 24 * 3600_000)
  host.realtime.toTeachers(session.id).emit('attendance:changed', { userId, state })
  await pushSafely(host, { schoolId: session.schoolId, courseId: session.courseId, studentIds: [userId], reason: 'presence' })
}

export function registerCapture(host: AttendanceHost) {
  // Teachers' joins are kept too (never turned into records): they show the plugin saw the class.
  host.events.on('class:participant_joined', async (event) => {
    if (!(await host.settings.isEnabled(event.schoolId))) return
    await addMark(event.sessionId, event.userId, 'join', Date.parse(event.at))
    if (event.role === 'student') await setLive(host, { id: event.sessionId, schoolId: event.schoolId, courseId: event.courseId }, event.userId, 'here')
  })

  host.events.on('class:participant_left', async (event) => {
    if (!(await host.settings.isEnabled(event.schoolId))) return
    await addMark(event.sessionId, event.userId, 'leave', Date.parse(event.at))
    if (event.role === 'student') await setLive(host, { id: event.sessionId, schoolId: event.schoolId, courseId: event.courseId }, event.userId, 'missing')
  })

  host.events.on('class:ended', async (event) => {
    await host.state.del(liveKey(event.sessionId))
    if ((await host.state.get(courseLiveKey(event.courseId))) === String(event.sessionId)) await host.state.del(courseLiveKey(event.courseId))
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
      await setLive(host, session, user.id, wanted)
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
