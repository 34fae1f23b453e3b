import vine from '@vinejs/vine'
import { RealtimeError, type PluginHost } from '#app/plugins/api'
import type { LiveScores } from './live.js'
import { settingsFor } from './school_settings.js'
import './events.js'

const empty = vine.compile(vine.object({}))

/*
| engagement:watch — teachers of the class (and the school's admins, who join as teachers): the live
|   heatmap's first picture; ticks follow on 'engagement:tick' (only to the class's teachers).
| engagement:mine — a student: their own live score, when the school lets students see it.
*/
export function registerEngagementHandlers(host: PluginHost, live: LiveScores) {
  host.realtime.on('engagement:watch', {
    roles: ['teacher'],
    validator: empty,
    maxBytes: 256,
    async handle({ session, socket }) {
      live.watch(session, socket.id)
      return live.snapshot(session)
    },
  })

  host.realtime.on('engagement:mine', {
    roles: ['student'],
    validator: empty,
    maxBytes: 256,
    async handle({ session, user }) {
      if (!(await settingsFor(session.schoolId)).studentsSeeOwn) throw new RealtimeError('forbidden', 'Scores are not shown to students')
      const { scores } = await live.scores(session)
      const own = scores.get(user.id)
      if (!own) throw new RealtimeError('not_found', 'No score for you in this class')
      return own
    },
  })

  host.realtime.onDisconnecting((socket) => live.unwatch(socket.id))
}
