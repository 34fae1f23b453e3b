import { definePlugin } from '#app/plugins/api'
import { breakoutSettings } from './settings.js'
import { registerBreakoutHandlers } from './realtime.js'
import { BreakoutService } from './service.js'

const SWEEP_MS = 1000

export default definePlugin({
  manifest: {
    id: 'breakouts',
    name: 'Breakout rooms',
    description: 'Split the class into rooms with their own chat, whiteboard and video; timer, broadcast and teacher hopping.',
    version: '1.0.0',
    dependencies: ['chat'],
    settings: breakoutSettings,
    permissions: ['realtime:session', 'db:own-tables', 'events:lifecycle', 'ui:classroom', 'media:rooms'],
  },
  setup(host) {
    const service = new BreakoutService(host)
    registerBreakoutHandlers(host, service)
    host.classes.provideRoomNames((sessionId) => service.roomNames(sessionId))

    host.events.on('class:participant_joined', async ({ sessionId, userId, role }) => {
      if (role === 'student') await service.placeLateJoiner(sessionId, userId)
    })
    host.events.on('class:ended', async ({ sessionId }) => {
      const round = await service.currentRound(sessionId)
      if (round) await service.close(round)
    })

    /* Every process sweeps; closing is a conditional update, so a round closes exactly once. */
    const timer = setInterval(() => {
      service.closeExpired().catch((error) => host.logger.error({ err: error }, 'breakout sweep failed'))
    }, SWEEP_MS)
    timer.unref()
    // A sweep after the database closed would reopen its pool and keep the process alive.
    host.onShutdown(() => clearInterval(timer))
  },
})
