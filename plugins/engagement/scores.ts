import type { PluginHost } from '#app/plugins/api'
import type { Weights } from './rules.js'
import { enabledSources, scoreClass } from './scoring.js'
import { settingsFor } from './school_settings.js'
import { readContributions, writeScores, type StoredScore } from './store.js'
import db from '@adonisjs/lucid/services/db'

export type ScoresHost = Pick<PluginHost, 'classes' | 'directory' | 'plugins'>

/** The scores of an ended class under some weights (the school's, or a preview's), from the stored raw aggregates. */
export async function scoresOfEndedClass(host: ScoresHost, sessionId: number, weights?: Weights): Promise<StoredScore[]> {
  const info = await host.classes.get(sessionId)
  if (!info || info.status !== 'ended' || !info.endedAt) return []
  const [contributions, enrolled, settings, enabled] = await Promise.all([
    readContributions(sessionId),
    host.directory.enrolments(info.schoolId, { courseIds: [info.courseId] }),
    settingsFor(info.schoolId),
    enabledSources(host, info.schoolId),
  ])
  const endedAtMs = Date.parse(info.endedAt)
  const scores = scoreClass(contributions, enrolled.map((e) => e.studentId), endedAtMs, weights ?? settings.weights, enabled)
  return [...scores].map(([userId, score]) => ({ sessionId, schoolId: info.schoolId, courseId: info.courseId, userId, endedAtMs, score }))
}

/** Stores (again) the scores of an ended class. */
export async function finaliseClass(host: ScoresHost, sessionId: number) {
  const rows = await scoresOfEndedClass(host, sessionId)
  if (rows.length) await writeScores(rows)
  return rows.length
}

/** Ended classes of a school that have raw aggregates, optionally only since some time. */
export async function measuredClasses(host: ScoresHost, schoolId: number, from = new Date(0)) {
  const ended = await host.classes.ended({ from, to: new Date(Date.now() + 1000), schoolId })
  if (!ended.length) return []
  const withData = new Set<number>()
  const ids = ended.map((c) => c.id)
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db.from('engagement_contributions').whereIn('class_session_id', ids.slice(i, i + 500)).distinct('class_session_id')
    for (const r of rows) withData.add(Number(r.class_session_id))
  }
  return ended.filter((c) => withData.has(c.id))
}

/** After a weight change: every stored score of the school is recomputed from the raw aggregates. */
export async function recomputeSchool(host: ScoresHost, schoolId: number) {
  let count = 0
  for (const info of await measuredClasses(host, schoolId)) count += await finaliseClass(host, info.id)
  return count
}
