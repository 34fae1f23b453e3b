import vine from '@vinejs/vine'
import app from '@adonisjs/core/services/app'
import ClassSession from '#app/classes/models/class_session'
import { sessionRoleFor } from '#app/classes/membership'
import {
  announceJoined,
  announceLeft,
  announceUpdated,
  broadcastParticipants,
  isUserConnected,
  lowerAllHands,
  participantsForJoiner,
  participantsOf,
  setHand,
} from '#app/classes/presence'
import { endClass, participantJoined, participantLeft, recordPresence } from '#app/classes/services/class_lifecycle'
import { RealtimeError } from '#app/realtime/realtime_error'
import { rooms } from '#app/realtime/rooms'
import { REACTIONS } from '#app/realtime/events'
import { listenForRoomMoves, roomOf } from '#app/classes/class_rooms'
import { listenForClassEnds } from '#app/classes/class_detach'
import { PresenceLiveness } from '#app/classes/presence_liveness'
import { requireParticipant } from '#app/classes/class_targets'
import type { RealtimeServer } from '#app/realtime/realtime_server'
import type { AulaSocket } from '#app/realtime/socket_types'

const empty = vine.compile(vine.object({}))

async function leaveSession(realtime: RealtimeServer, liveness: PresenceLiveness, socket: AulaSocket) {
  const current = socket.data.session
  if (!current) return
  socket.data.session = null
  socket.leave(rooms.session(current.id))
  socket.leave(rooms.sessionRoom(current.id, current.room))
  socket.leave(rooms.sessionTeachers(current.id))
  socket.leave(rooms.sessionUser(current.id, socket.data.user.id))
  await liveness.left(current.id, socket.data.user.id)
  // Another tab of the same user still in the class: nothing changed for the others.
  if (await isUserConnected(realtime, current.id, socket.data.user.id)) return
  const session = await ClassSession.find(current.id)
  if (session && session.status === 'live') await participantLeft(session, socket.data.user.id, current.role)
  await announceLeft(realtime, current.id, socket.data.user.id)
}

/** Core classroom events: joining a class, presence, hands, reactions, ending. */
export function registerCoreRealtimeHandlers(realtime: RealtimeServer) {
  const gateway = realtime.gateway
  const liveness = new PresenceLiveness(realtime)

  gateway.on('session:join', {
    scope: 'connection',
    validator: vine.compile(vine.object({ sessionId: vine.number().withoutDecimals().positive() })),
    async handle({ payload, user, socket }) {
      const session = await ClassSession.query()
        .where({ id: payload.sessionId, schoolId: user.schoolId })
        .first()
      if (!session) throw new RealtimeError('not_found', 'Class not found')
      const role = await sessionRoleFor(user, session)
      if (!role) throw new RealtimeError('forbidden', 'You are not a member of this class')
      if (session.status !== 'live') throw new RealtimeError('conflict', `This class is ${session.status}`)

      if (socket.data.session && socket.data.session.id !== session.id) await leaveSession(realtime, liveness, socket)
      const firstConnection = !(await isUserConnected(realtime, session.id, user.id))
      const room = await roomOf(realtime, session.id, user.id)
      socket.data.session = {
        id: session.id,
        schoolId: session.schoolId,
        courseId: session.courseId,
        teacherId: session.teacherId,
        role,
        room,
      }
      const joined = [rooms.session(session.id), rooms.sessionRoom(session.id, room), rooms.sessionUser(session.id, user.id)]
      if (role === 'teacher') joined.push(rooms.sessionTeachers(session.id))
      socket.join(joined)
      if (firstConnection) await participantJoined(session, user.id, role)
      await liveness.joined(session.id, user.id, role)

      // The whole list for the joiner only; everyone else gets this one participant (also on a
      // second tab or a rejoin: it replaces the entry, so a list that lost it is mended).
      const connected = await participantsOf(realtime, session.id)
      const me = connected.find((p) => p.userId === user.id) ?? { userId: user.id, fullName: user.fullName, role, room, handRaisedAt: null }
      await announceJoined(realtime, session.id, me)
      const participants = await participantsForJoiner(realtime, session.id, connected)
      const plugins = await (await app.container.make('plugins')).settings.allFor(session.schoolId)
      return {
        session: {
          id: session.id,
          title: session.title,
          status: session.status,
          courseId: session.courseId,
          teacherId: session.teacherId,
          startedAt: session.startedAt?.toISO() ?? null,
        },
        you: { userId: user.id, fullName: user.fullName, role, room },
        participants,
        plugins,
      }
    },
  })

  gateway.on('session:leave', {
    validator: empty,
    async handle({ socket }) {
      await leaveSession(realtime, liveness, socket)
      return null
    },
  })

  gateway.on('session:end', {
    validator: empty,
    roles: ['teacher'],
    async handle({ session }) {
      const model = await ClassSession.findOrFail(session.id)
      await endClass(model)
      return null
    },
  })

  gateway.on('presence:hand', {
    validator: vine.compile(vine.object({ raised: vine.boolean({ strict: true }) })),
    async handle({ payload, session, user }) {
      const handRaisedAt = await setHand(realtime, session.id, user.id, payload.raised)
      await recordPresence(session.id, user.id, payload.raised ? 'hand_raised' : 'hand_lowered')
      await announceUpdated(realtime, session.id, { userId: user.id, fullName: user.fullName, role: session.role, room: session.room, handRaisedAt })
      return null
    },
  })

  gateway.on('presence:lower_hand', {
    roles: ['teacher'],
    validator: vine.compile(vine.object({ userId: vine.number().withoutDecimals().positive() })),
    async handle({ payload, session }) {
      const target = await requireParticipant(realtime, session, payload.userId)
      await setHand(realtime, session.id, payload.userId, false)
      const { user, session: where } = target
      await announceUpdated(realtime, session.id, { userId: user.id, fullName: user.fullName, role: where.role, room: where.room, handRaisedAt: null })
      return null
    },
  })

  gateway.on('presence:lower_all_hands', {
    roles: ['teacher'],
    validator: empty,
    async handle({ session }) {
      await lowerAllHands(realtime, session.id)
      // A bulk change: the whole list once (its hands all down).
      await broadcastParticipants(realtime, session.id)
      return null
    },
  })

  gateway.on('presence:react', {
    validator: vine.compile(vine.object({ emoji: vine.enum(REACTIONS) })),
    async handle({ payload, session, user }) {
      await recordPresence(session.id, user.id, 'reaction', { emoji: payload.emoji })
      realtime.to(rooms.session(session.id)).emit('presence:reaction', {
        userId: user.id,
        fullName: user.fullName,
        emoji: payload.emoji,
        at: new Date().toISOString(),
      })
      return null
    },
  })

  realtime.onDisconnect((socket) => leaveSession(realtime, liveness, socket))
  realtime.onAttach(() => {
    listenForRoomMoves(realtime)
    listenForClassEnds(realtime)
    liveness.start()
  })
}

export { participantsOf }
