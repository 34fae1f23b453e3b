import vine from '@vinejs/vine'
import type { PluginHost } from '#app/plugins/api'
import { BreakoutService } from './service.js'
import type { breakoutSettings } from './settings.js'
import './events.js'

const roomKey = () => vine.string().regex(/^(main|b\d{1,2})$/)
const userId = () => vine.number().withoutDecimals().positive()

export function registerBreakoutHandlers(host: PluginHost<typeof breakoutSettings>, service: BreakoutService) {
  const { realtime } = host

  realtime.on('breakouts:state', {
    validator: vine.compile(vine.object({})),
    async handle({ session }) {
      return { round: await service.view(await service.currentRound(session.id)) }
    },
  })

  realtime.on('breakouts:open', {
    roles: ['teacher'],
    maxBytes: 16 * 1024,
    validator: vine.compile(
      vine.object({
        strategy: vine.enum(['random', 'groups', 'manual', 'self'] as const),
        roomCount: vine.number().withoutDecimals().min(1).max(50).optional(),
        studentsPerRoom: vine.number().withoutDecimals().min(1).max(100).optional(),
        durationMinutes: vine.number().withoutDecimals().min(1).max(240).optional(),
        manual: vine
          .array(vine.object({ userId: userId(), room: vine.number().withoutDecimals().min(0).max(49) }))
          .maxLength(500)
          .optional(),
        names: vine.array(vine.string().trim().maxLength(40)).maxLength(50).optional(),
      })
    ),
    async handle({ payload, session, user }) {
      return { round: await service.open(session, user.id, payload) }
    },
  })

  realtime.on('breakouts:move', {
    roles: ['teacher'],
    validator: vine.compile(vine.object({ userId: userId(), roomKey: roomKey() })),
    async handle({ payload, session }) {
      await service.move(session.id, payload.userId, payload.roomKey)
      return null
    },
  })

  realtime.on('breakouts:rename', {
    roles: ['teacher'],
    validator: vine.compile(vine.object({ roomKey: roomKey(), name: vine.string().trim().minLength(1).maxLength(40) })),
    async handle({ payload, session }) {
      await service.rename(session.id, payload.roomKey, payload.name)
      return null
    },
  })

  realtime.on('breakouts:choose', {
    roles: ['student'],
    validator: vine.compile(vine.object({ roomKey: roomKey() })),
    async handle({ payload, session, user }) {
      await service.choose(session.id, user.id, payload.roomKey)
      return null
    },
  })

  realtime.on('breakouts:hop', {
    roles: ['teacher'],
    validator: vine.compile(vine.object({ roomKey: roomKey() })),
    async handle({ payload, session, user }) {
      await service.hop(session.id, user.id, payload.roomKey)
      return null
    },
  })

  realtime.on('breakouts:broadcast', {
    roles: ['teacher'],
    validator: vine.compile(vine.object({ text: vine.string().trim().minLength(1).maxLength(500) })),
    async handle({ payload, session, user }) {
      await service.requireRound(session.id)
      realtime.toSession(session.id).emit('breakouts:broadcast', { text: payload.text, from: user.fullName, at: new Date().toISOString() })
      return null
    },
  })

  realtime.on('breakouts:extend', {
    roles: ['teacher'],
    validator: vine.compile(vine.object({ minutes: vine.number().withoutDecimals().min(-60).max(60) })),
    async handle({ payload, session }) {
      return { endsAt: await service.extend(session.id, payload.minutes) }
    },
  })

  realtime.on('breakouts:close_room', {
    roles: ['teacher'],
    validator: vine.compile(vine.object({ roomKey: roomKey() })),
    async handle({ payload, session }) {
      await service.closeRoom(session.id, payload.roomKey)
      return null
    },
  })

  realtime.on('breakouts:close', {
    roles: ['teacher'],
    validator: vine.compile(vine.object({})),
    async handle({ session }) {
      const round = await service.currentRound(session.id)
      if (round) await service.close(round)
      return null
    },
  })
}
