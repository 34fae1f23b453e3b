import type { PluginHost } from '#app/plugins/api'
import type { LiveScores } from './live.js'
import { settingsController } from './controllers/settings_controller.js'
import { scoresController } from './controllers/scores_controller.js'

/** HTTP API under /plugins/engagement (login and plugin-enabled checks by the host; roles checked in the controllers). */
export function registerEngagementRoutes(host: PluginHost, _live: LiveScores) {
  const settings = settingsController(host)
  const scores = scoresController(host)
  host.routes.define((router) => {
    router.get('/settings', (ctx) => settings.show(ctx))
    router.put('/settings', (ctx) => settings.update(ctx))
    router.post('/settings/preview', (ctx) => settings.preview(ctx))
    router.get('/sessions/:sessionId/scores', (ctx) => scores.session(ctx))
    router.get('/students/:userId/scores', (ctx) => scores.student(ctx))
    router.get('/me', (ctx) => scores.mine(ctx))
    router.get('/classes', (ctx) => scores.classes(ctx))
    router.get('/at-risk', (ctx) => scores.atRisk(ctx))
    router.get('/at-risk/export/:format', (ctx) => scores.exportAtRisk(ctx))
  })
}
