import { definePlugin } from '#app/plugins/api'
import { Recorder } from './recorder.js'
import { LiveScores } from './live.js'
import { registerEngagementHandlers } from './realtime.js'
import { registerEngagementRoutes } from './routes.js'
import { finaliseClass } from './scores.js'
import './events.js'

/** How often changed aggregates are written to the database (ENGAGEMENT_WRITE_EVERY_MS, for tests) and live views re-scored. */
export const WRITE_EVERY_MS = Number(process.env.ENGAGEMENT_WRITE_EVERY_MS) || 2000
export const TICK_MS = 2000

export default definePlugin({
  manifest: {
    id: 'engagement',
    name: 'Engagement',
    description:
      'An explainable engagement score per student and class from camera, quiz, chat, whiteboard and attendance signals, with school-tuned weights, a live heatmap for teachers and at-risk trends for admins.',
    version: '1.0.0',
    settings: {},
    permissions: ['realtime:session', 'db:own-tables', 'events:lifecycle', 'http:routes', 'ui:classroom', 'ui:dashboard'],
  },
  setup(host) {
    const recorder = new Recorder(host)
    const live = new LiveScores(host, recorder)
    // Nothing of a school that switched engagement off is recorded or scored (recorder.enabledFor).
    const scoreIfEnabled = async (sessionId: number, schoolId: number) => {
      if (await recorder.enabledFor(schoolId)) await finaliseClass(host, sessionId)
    }
    recorder.onEndedClassWritten = scoreIfEnabled

    const report = (what: string) => (error: unknown) => host.logger.error({ err: error }, `engagement ${what} failed`)
    host.events.on('activity:signal', (signal) => recorder.record(signal).catch(report('recording')))
    host.events.on('class:participant_joined', (e) => {
      if (e.role === 'student') return recorder.presence(e, e.userId, true, e.at).catch(report('presence'))
    })
    host.events.on('class:participant_left', (e) => {
      if (e.role === 'student') return recorder.presence(e, e.userId, false, e.at).catch(report('presence'))
    })
    host.events.on('class:ended', async ({ sessionId, schoolId }) => {
      await recorder.flush().catch(report('flush'))
      await scoreIfEnabled(sessionId, schoolId).catch(report('scoring'))
    })

    registerEngagementHandlers(host, live)
    registerEngagementRoutes(host, live)

    const writer = setInterval(() => void recorder.flush().catch(report('flush')), WRITE_EVERY_MS)
    const ticker = setInterval(() => void live.run().catch(report('live tick')), TICK_MS)
    writer.unref()
    ticker.unref()
    host.onShutdown(async () => {
      clearInterval(writer)
      clearInterval(ticker)
      await recorder.flush()
    })
  },
})
