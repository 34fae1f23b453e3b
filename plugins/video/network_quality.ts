import vine from '@vinejs/vine'
import { RealtimeError, type PluginHost } from '#app/plugins/api'
import type { videoSettings } from './settings.js'
import './events.js'

/** A tab reports on change and every 10 s; anything faster than one report a second is refused. */
export const QUALITY_MIN_INTERVAL_MS = 1000

/*
| Connection quality of each participant, as their browser measures it (round-trip time, packet loss
| and available outgoing bitrate from getStats: plugins/video/ui/network_quality.ts). The browser is
| the only party that sees all three, for its own send and receive transports; the sidecar's mediasoup
| scores would tell only a producer's or consumer's RTP loss, one stream at a time. The report is a
| label the teacher reads ("weak link"), never a permission, so trusting the sender's own measurement
| costs nothing: a student can only mislabel their own tile.
|
| Relayed to the class's teachers only (every room, so a teacher hopping between breakouts sees it).
*/
export function registerQualityHandlers(host: PluginHost<typeof videoSettings>) {
  const { realtime } = host
  const lastReport = new Map<string, number>()
  realtime.onDisconnecting(({ id }) => {
    lastReport.delete(id)
  })

  realtime.on('video:quality', {
    validator: vine.compile(
      vine.object({
        level: vine.enum(['good', 'fair', 'poor'] as const),
        rttMs: vine.number().min(0).max(60_000).optional(),
        lossPercent: vine.number().min(0).max(100).optional(),
      })
    ),
    async handle({ payload, session, socket, user }) {
      const now = Date.now()
      const last = lastReport.get(socket.id)
      if (last !== undefined && now - last < QUALITY_MIN_INTERVAL_MS) {
        throw new RealtimeError('rate_limited', 'At most one quality report a second')
      }
      lastReport.set(socket.id, now)
      realtime.toTeachers(session.id).emit('video:peer_quality', { userId: user.id, level: payload.level })
      return null
    },
  })
}
