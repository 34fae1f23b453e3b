import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import emitter from '@adonisjs/core/services/emitter'
import transmit from '@adonisjs/transmit/services/main'
import app from '@adonisjs/core/services/app'
import ClassSession from '#app/classes/models/class_session'
import ClassPresenceEvent, { type PresenceEventType } from '#app/classes/models/class_presence_event'
import type { ClassRef } from '#app/classes/lifecycle_events'
import type { SessionRole } from '#app/realtime/events'
import { rooms } from '#app/realtime/rooms'
import { lowerAllHands } from '#app/classes/presence'
import { clearRooms } from '#app/classes/class_rooms'
import { detachClassSockets } from '#app/classes/class_detach'

export function classRef(session: ClassSession): ClassRef {
  return {
    sessionId: session.id,
    schoolId: session.schoolId,
    courseId: session.courseId,
    teacherId: session.teacherId,
    title: session.title,
  }
}

export class ClassStateError extends Error {}

export async function recordPresence(sessionId: number, userId: number, type: PresenceEventType, data?: object, at = DateTime.now()) {
  await ClassPresenceEvent.create({
    classSessionId: sessionId,
    userId,
    type,
    data: (data as Record<string, unknown>) ?? null,
    occurredAt: at,
  })
}

/** scheduled -> live. Notifies enrolled students' dashboards and the event bus. */
export async function startClass(session: ClassSession) {
  if (session.status === 'live') return session
  if (session.status === 'ended') throw new ClassStateError('This class has already ended')
  session.status = 'live'
  session.startedAt = DateTime.now()
  await session.save()
  await session.load('course')

  const students = await db.from('course_enrollments').where('course_id', session.courseId).select('student_id')
  const notice = { type: 'class.live', sessionId: session.id, title: session.title, courseName: session.course.name }
  for (const { student_id: studentId } of students) {
    transmit.broadcast(`users/${studentId}/notifications`, notice)
  }
  await emitter.emit('class:started', { ...classRef(session), startedAt: session.startedAt.toISO()! })
  return session
}

/** live -> ended. Everyone still connected is marked as left and removed from the class rooms. */
export async function endClass(session: ClassSession) {
  if (session.status === 'ended') return session
  session.status = 'ended'
  session.endedAt = DateTime.now()
  await session.save()

  const realtime = await app.container.make('realtime')
  if (realtime.attached) {
    const sockets = await realtime.io.in(rooms.session(session.id)).fetchSockets()
    const present = new Map<number, SessionRole>()
    for (const socket of sockets) if (socket.data.session) present.set(socket.data.user.id, socket.data.session.role)
    realtime.to(rooms.session(session.id)).emit('session:ended', { sessionId: session.id })
    for (const [userId, role] of present) await participantLeft(session, userId, role)
    detachClassSockets(realtime, session.id)
    await lowerAllHands(realtime, session.id)
    await clearRooms(realtime, session.id)
  }
  await emitter.emit('class:ended', { ...classRef(session), endedAt: session.endedAt.toISO()! })
  return session
}

export async function participantJoined(session: ClassSession, userId: number, role: SessionRole) {
  await recordPresence(session.id, userId, 'joined', { role })
  await emitter.emit('class:participant_joined', { ...classRef(session), userId, role, at: new Date().toISOString() })
}

/** `at`: when they left, if not now (a dead web process's members leave at its last heartbeat). */
export async function participantLeft(session: ClassSession, userId: number, role: SessionRole, at = DateTime.now()) {
  await recordPresence(session.id, userId, 'left', { role }, at)
  await emitter.emit('class:participant_left', { ...classRef(session), userId, role, at: at.toUTC().toISO()! })
}
