import type { HttpContext } from '@adonisjs/core/http'
import type { PluginHost } from '#app/plugins/api'
import { requireAdmin } from '../access.js'
import { saveSettings, settingsFor } from '../school_settings.js'
import { enabledSources } from '../scoring.js'
import { measuredClasses, recomputeSchool, scoresOfEndedClass } from '../scores.js'
import { previewValidator, settingsValidator } from '../validators.js'
import type { Weights } from '../rules.js'

const WEEK_MS = 7 * 24 * 3600_000

/** The school's weights, at-risk rule and visibility (admins only); a save recomputes every stored score. */
export function settingsController(host: PluginHost) {
  return {
    async show({ auth }: HttpContext) {
      const user = auth.getUserOrFail()
      requireAdmin(user)
      return { settings: await settingsFor(user.schoolId, true), enabled: await enabledSources(host, user.schoolId) }
    },

    async update({ auth, request }: HttpContext) {
      const user = auth.getUserOrFail()
      requireAdmin(user)
      const settings = await request.validateUsing(settingsValidator)
      await saveSettings(user.schoolId, settings, user.id)
      const recomputed = await recomputeSchool(host, user.schoolId)
      return { settings, recomputed }
    },

    /** Last week's classes: each student's mean score now and under the proposed weights (nothing saved). */
    async preview({ auth, request }: HttpContext) {
      const user = auth.getUserOrFail()
      requireAdmin(user)
      const { weights } = await request.validateUsing(previewValidator)
      const classes = await measuredClasses(host, user.schoolId, new Date(Date.now() - WEEK_MS))
      const per = new Map<number, { now: number[]; preview: number[] }>()
      for (const info of classes) {
        const [now, next] = await Promise.all([scoresOfEndedClass(host, info.id), scoresOfEndedClass(host, info.id, weights as Weights)])
        for (let i = 0; i < now.length; i++) {
          const entry = per.get(now[i].userId) ?? { now: [], preview: [] }
          if (now[i].score.score !== null) entry.now.push(now[i].score.score!)
          if (next[i].score.score !== null) entry.preview.push(next[i].score.score!)
          per.set(now[i].userId, entry)
        }
      }
      const names = new Map((await host.directory.users(user.schoolId, [...per.keys()])).map((u) => [u.id, u.fullName]))
      const mean = (xs: number[]) => (xs.length ? Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 10) / 10 : null)
      const students = [...per]
        .map(([id, v]) => ({ userId: id, name: names.get(id) ?? '', classes: v.now.length, current: mean(v.now), preview: mean(v.preview) }))
        .sort((a, b) => a.name.localeCompare(b.name))
      return { classes: classes.length, students }
    },
  }
}
