import db from '@adonisjs/lucid/services/db'
import type { Score } from './rules.js'
import { groupContributions, type ClassContributions } from './scoring.js'

/* The plugin's own tables (migration 1700001400001): raw contributions and stored class scores. */
export interface ContributionRow {
  sessionId: number
  userId: number
  contributor: string
  version: number
  data: unknown
}

const CHUNK = 200

/** Writes contributions whole; a row is replaced only by a higher version (PostgreSQL and SQLite alike). */
export async function writeContributions(rows: ContributionRow[]) {
  const now = Date.now()
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK)
    const values = chunk.map(() => '(?, ?, ?, ?, ?, ?)').join(', ')
    const bindings = chunk.flatMap((r) => [r.sessionId, r.userId, r.contributor, r.version, JSON.stringify(r.data), now])
    await db.rawQuery(
      `INSERT INTO engagement_contributions (class_session_id, user_id, contributor, version, data, updated_at_ms)
       VALUES ${values}
       ON CONFLICT (class_session_id, user_id, contributor) DO UPDATE
       SET version = excluded.version, data = excluded.data, updated_at_ms = excluded.updated_at_ms
       WHERE engagement_contributions.version < excluded.version`,
      bindings
    )
  }
}

export async function readContributions(sessionId: number): Promise<ClassContributions> {
  const rows = await db.from('engagement_contributions').where('class_session_id', sessionId).select('user_id', 'data')
  return groupContributions(rows.map((r) => ({ userId: Number(r.user_id), data: JSON.parse(r.data) })))
}

export interface StoredScore {
  sessionId: number
  schoolId: number
  courseId: number
  userId: number
  endedAtMs: number
  score: Score
}

export async function writeScores(rows: StoredScore[]) {
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK)
    await upsert(
      'engagement_scores',
      ['class_session_id', 'school_id', 'course_id', 'user_id', 'score', 'parts', 'ended_at_ms'],
      ['class_session_id', 'user_id'],
      chunk.map((r) => [r.sessionId, r.schoolId, r.courseId, r.userId, r.score.score, JSON.stringify(r.score.parts), r.endedAtMs])
    )
  }
}

/** INSERT … ON CONFLICT DO UPDATE, the same SQL on PostgreSQL and SQLite. */
export async function upsert(table: string, columns: string[], keys: string[], rows: unknown[][]) {
  if (!rows.length) return
  const placeholders = rows.map(() => `(${columns.map(() => '?').join(', ')})`).join(', ')
  const updates = columns.filter((c) => !keys.includes(c)).map((c) => `${c} = excluded.${c}`)
  await db.rawQuery(
    `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${placeholders} ON CONFLICT (${keys.join(', ')}) DO UPDATE SET ${updates.join(', ')}`,
    rows.flat() as any[]
  )
}

export interface ScoreView {
  sessionId: number
  courseId: number
  userId: number
  endedAt: string
  score: number | null
  parts: Score['parts']
}

export const toScoreView = (row: any): ScoreView => ({
  sessionId: Number(row.class_session_id),
  courseId: Number(row.course_id),
  userId: Number(row.user_id),
  endedAt: new Date(Number(row.ended_at_ms)).toISOString(),
  score: row.score === null ? null : Number(row.score),
  parts: JSON.parse(row.parts),
})
