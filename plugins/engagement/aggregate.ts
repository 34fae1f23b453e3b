/*
| Raw per-signal aggregates. Every app process keeps its own *contribution* per student and class
| (what the signals it received add up to) and writes it whole, with a version that only grows;
| the student's raw figures are the merge of all contributions. So processes never overwrite each
| other, and a contribution written twice (by its owner and by a recovering process) is harmless.
*/
import type { ClassQuiz, StudentRaw } from './rules.js'

/** One process's figures about one student in one class (times in epoch ms). */
export interface Contribution {
  v: number
  camOnMs: number
  camSince: number | null
  presMs: number
  presSince: number | null
  answers: Record<string, number>
  chat: number
  wb: number
  att: { activeMs: number; classMs: number; presentMs: number; status: string; at: number } | null
}

/** One process's class-wide quiz facts (user 0). */
export interface ClassContribution {
  v: number
  opened: string[]
  closed: string[]
}

export const emptyContribution = (): Contribution => ({
  v: 0,
  camOnMs: 0,
  camSince: null,
  presMs: 0,
  presSince: null,
  answers: {},
  chat: 0,
  wb: 0,
  att: null,
})

export const emptyClassContribution = (): ClassContribution => ({ v: 0, opened: [], closed: [] })

/** An interval flag (camera on, present): opening twice keeps the first start, closing adds the span. */
export function toggle(c: Contribution, which: 'cam' | 'pres', on: boolean, at: number) {
  const since = which === 'cam' ? 'camSince' : 'presSince'
  const total = which === 'cam' ? 'camOnMs' : 'presMs'
  if (on) {
    if (c[since] === null) c[since] = at
  } else if (c[since] !== null) {
    c[total] += Math.max(0, at - c[since]!)
    c[since] = null
  }
}

/** The student's raw figures from all contributions; open intervals run until `until` (now, or the class end). */
export function mergeStudent(parts: Contribution[], until: number): StudentRaw {
  const raw: StudentRaw = { cameraOnMs: 0, presentMs: 0, answers: {}, chatMessages: 0, whiteboardEdits: 0, attendance: null }
  let livePresent = 0
  let attAt = -1
  for (const c of parts) {
    raw.cameraOnMs += c.camOnMs + (c.camSince !== null ? Math.max(0, until - c.camSince) : 0)
    livePresent += c.presMs + (c.presSince !== null ? Math.max(0, until - c.presSince) : 0)
    for (const [key, ms] of Object.entries(c.answers)) {
      raw.answers[key] = key in raw.answers ? Math.min(raw.answers[key], ms) : ms
    }
    raw.chatMessages += c.chat
    raw.whiteboardEdits += c.wb
    if (c.att && c.att.at > attAt) {
      attAt = c.att.at
      raw.attendance = { activeMs: c.att.activeMs, classMs: c.att.classMs, status: c.att.status }
      raw.presentMs = c.att.presentMs
    }
  }
  if (!raw.attendance) raw.presentMs = livePresent
  return raw
}

/** The class's quiz facts from the class-wide contributions and every student's answers. */
export function mergeClassQuiz(classParts: ClassContribution[], students: StudentRaw[]): ClassQuiz {
  const closed = new Set<string>()
  for (const c of classParts) for (const key of c.closed) closed.add(key)
  const times: Record<string, number[]> = {}
  for (const s of students) for (const [key, ms] of Object.entries(s.answers)) (times[key] ??= []).push(ms)
  return { closed: [...closed], times }
}
