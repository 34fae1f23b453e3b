import db from '@adonisjs/lucid/services/db'
import { upsert } from './store.js'
import { DEFAULT_WEIGHTS, SIGNALS, type Weights } from './rules.js'

/* The school's engagement settings (weights, at-risk rule, visibility), cached briefly per process. */
export interface EngagementSettings {
  weights: Weights
  /** A class score below this (0–100) counts as low. */
  atRiskThreshold: number
  /** The last N classes of a student that the at-risk rule looks at. */
  atRiskWindow: number
  studentsSeeOwn: boolean
  parentsSeeChild: boolean
}

export const DEFAULT_SETTINGS: EngagementSettings = {
  weights: DEFAULT_WEIGHTS,
  atRiskThreshold: 40,
  atRiskWindow: 5,
  studentsSeeOwn: true,
  parentsSeeChild: true,
}

/** Changes are seen by every process within this time (live classes re-score with the new weights). */
export const SETTINGS_CACHE_MS = 1500
const cache = new Map<number, { at: number; value: EngagementSettings }>()

const weightsOf = (text: string): Weights => {
  const parsed = JSON.parse(text)
  return Object.fromEntries(SIGNALS.map((s) => [s, Number(parsed[s] ?? 0)])) as Weights
}

export async function settingsFor(schoolId: number, fresh = false): Promise<EngagementSettings> {
  const hit = cache.get(schoolId)
  if (!fresh && hit && Date.now() - hit.at < SETTINGS_CACHE_MS) return hit.value
  const row = await db.from('engagement_settings').where('school_id', schoolId).first()
  const value: EngagementSettings = row
    ? {
        weights: weightsOf(row.weights),
        atRiskThreshold: Number(row.at_risk_threshold),
        atRiskWindow: Number(row.at_risk_window),
        studentsSeeOwn: Boolean(row.students_see_own),
        parentsSeeChild: Boolean(row.parents_see_child),
      }
    : DEFAULT_SETTINGS
  cache.set(schoolId, { at: Date.now(), value })
  return value
}

export async function saveSettings(schoolId: number, value: EngagementSettings, userId: number) {
  const row = {
    school_id: schoolId,
    weights: JSON.stringify(value.weights),
    at_risk_threshold: value.atRiskThreshold,
    at_risk_window: value.atRiskWindow,
    students_see_own: value.studentsSeeOwn ? 1 : 0,
    parents_see_child: value.parentsSeeChild ? 1 : 0,
    updated_by: userId,
    updated_at_ms: Date.now(),
  }
  await upsert('engagement_settings', Object.keys(row), ['school_id'], [Object.values(row)])
  cache.set(schoolId, { at: Date.now(), value })
}
