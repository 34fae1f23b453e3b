import vine from '@vinejs/vine'
import { DateTime } from 'luxon'
import { RealtimeError, type PluginHost } from '#app/plugins/api'
import ChatMessage from './models/chat_message.js'
import { chatRefusal, normaliseBody } from './rules.js'
import type { chatSettings } from './settings.js'
import './events.js'

const HISTORY_LIMIT = 200
const mutesKey = (sessionId: number) => `mutes:${sessionId}`

export function registerChatHandlers(host: PluginHost<typeof chatSettings>) {
  const { realtime, state } = host

  const isMuted = async (sessionId: number, userId: number) => (await state.hget(mutesKey(sessionId), String(userId))) !== null

  realtime.on('chat:history', {
    validator: vine.compile(vine.object({})),
    async handle({ session }) {
      const rows = await ChatMessage.query()
        .where({ classSessionId: session.id, room: session.room })
        .whereNull('deleted_at')
        .orderBy('id', 'desc')
        .limit(HISTORY_LIMIT)
      const mutes = await state.hgetall(mutesKey(session.id))
      return { messages: rows.reverse().map((m) => m.toView()), mutedUserIds: Object.keys(mutes).map(Number) }
    },
  })

  realtime.on('chat:send', {
    maxBytes: 16 * 1024,
    validator: vine.compile(vine.object({ body: vine.string().minLength(1).maxLength(4000) })),
    async handle({ payload, session, user }) {
      const settings = await host.settings.forSchool(session.schoolId)
      const refusal = chatRefusal({
        role: session.role,
        muted: await isMuted(session.id, user.id),
        studentsMayChat: settings.studentsMayChat,
      })
      if (refusal) throw new RealtimeError('forbidden', refusal)

      const body = normaliseBody(payload.body)
      if (!body) throw new RealtimeError('invalid', 'The message is empty')
      if (body.length > settings.maxMessageLength) {
        throw new RealtimeError('invalid', `Messages are limited to ${settings.maxMessageLength} characters`)
      }
      if (session.role === 'student') {
        const sent = await state.incr(`rate:${session.id}:${user.id}`, 60_000)
        if (sent > settings.messagesPerMinute) {
          throw new RealtimeError('rate_limited', `At most ${settings.messagesPerMinute} messages per minute`)
        }
      }

      const message = await ChatMessage.create({
        classSessionId: session.id,
        room: session.room,
        userId: user.id,
        authorName: user.fullName,
        authorRole: session.role,
        body,
      })
      const view = message.toView()
      realtime.toRoom(session.id, session.room).emit('chat:message', { message: view })
      if (session.role === 'student') {
        await host.events.emit('activity:signal', {
          sessionId: session.id,
          schoolId: session.schoolId,
          courseId: session.courseId,
          at: view.at,
          kind: 'chat_message',
          userId: user.id,
        })
      }
      return { message: view }
    },
  })

  realtime.on('chat:delete', {
    roles: ['teacher'],
    validator: vine.compile(vine.object({ messageId: vine.number().withoutDecimals().positive() })),
    async handle({ payload, session, user }) {
      const message = await ChatMessage.query()
        .where({ id: payload.messageId, classSessionId: session.id })
        .whereNull('deleted_at')
        .first()
      if (!message) throw new RealtimeError('not_found', 'Message not found')
      message.merge({ deletedAt: DateTime.now(), deletedBy: user.id })
      await message.save()
      realtime.toSession(session.id).emit('chat:deleted', { messageId: message.id })
      return null
    },
  })

  realtime.on('chat:mute', {
    roles: ['teacher'],
    validator: vine.compile(
      vine.object({ userId: vine.number().withoutDecimals().positive(), muted: vine.boolean({ strict: true }) })
    ),
    async handle({ payload, session }) {
      const target = (await realtime.participants(session.id)).find((p) => p.userId === payload.userId)
      if (target?.role === 'teacher') throw new RealtimeError('invalid', 'Teachers cannot be muted')
      // A student of the course may be muted before they join; nobody else may be named.
      if (!target) {
        const enrolled = await host.directory.enrolments(session.schoolId, { courseIds: [session.courseId], studentIds: [payload.userId] })
        if (!enrolled.length) throw new RealtimeError('not_found', 'No such student in this class')
      }
      if (payload.muted) await state.hset(mutesKey(session.id), String(payload.userId), new Date().toISOString())
      else await state.hdel(mutesKey(session.id), String(payload.userId))
      realtime.toSession(session.id).emit('chat:muted', payload)
      return null
    },
  })

  host.events.on('class:ended', async ({ sessionId }) => {
    await state.del(mutesKey(sessionId))
  })
}
