/*
| Pure attendance rules: presence intervals from the server's marks, active time, status, rates.
| All times are epoch milliseconds measured on the server; the client only reports transitions.
*/
import type { AttendanceStatus } from '#app/plugins/api'

export type MarkKind = 'join' | 'leave' | 'hidden' | 'visible'
export interface Mark {
  kind: MarkKind
  atMs: number
}
export interface Interval {
  fromMs: number
  toMs: number
}
export interface StatusRules {
  lateGraceMs: number
  leftEarlyMs: number
  reconnectGraceMs: number
  inactivePercent: number
}
export interface Outcome {
  status: AttendanceStatus
  presentMs: number
  activeMs: number
  classMs: number
  firstJoinMs: number | null
  lastLeaveMs: number | null
}

const byTime = (a: Mark, b: Mark) => a.atMs - b.atMs

/**
 * Presence intervals inside the class: a join opens one, a leave closes it; a join within the
 * reconnect grace after a leave continues the same presence (the gap counts as present). A join
 * while already present (a second tab, or a process that died without a leave) changes nothing.
 * A presence still open when the class ends closes at the end.
 */
export function presenceIntervals(marks: Mark[], startMs: number, endMs: number, graceMs: number): Interval[] {
  const intervals: Interval[] = []
  let openFrom: number | null = null
  for (const mark of [...marks].sort(byTime)) {
    if (mark.kind === 'join') {
      if (openFrom !== null) continue
      const last = intervals.at(-1)
      if (last && mark.atMs - last.toMs <= graceMs) openFrom = intervals.pop()!.fromMs
      else openFrom = mark.atMs
    } else if (mark.kind === 'leave' && openFrom !== null) {
      intervals.push({ fromMs: openFrom, toMs: mark.atMs })
      openFrom = null
    }
  }
  if (openFrom !== null) intervals.push({ fromMs: openFrom, toMs: endMs })
  return intervals
    .map((i) => ({ fromMs: Math.max(i.fromMs, startMs), toMs: Math.min(i.toMs, endMs) }))
    .filter((i) => i.toMs > i.fromMs)
}

/**
 * Spans with the tab hidden: from a 'hidden' report to the next 'visible' report or join (the
 * classroom reports its state right after every join, so a join starts visible), or the end.
 */
export function hiddenSpans(marks: Mark[], endMs: number): Interval[] {
  const spans: Interval[] = []
  let hiddenFrom: number | null = null
  for (const mark of [...marks].sort(byTime)) {
    if (mark.kind === 'hidden' && hiddenFrom === null) hiddenFrom = mark.atMs
    else if ((mark.kind === 'visible' || mark.kind === 'join') && hiddenFrom !== null) {
      spans.push({ fromMs: hiddenFrom, toMs: mark.atMs })
      hiddenFrom = null
    }
  }
  if (hiddenFrom !== null) spans.push({ fromMs: hiddenFrom, toMs: endMs })
  return spans
}

const total = (intervals: Interval[]) => intervals.reduce((sum, i) => sum + (i.toMs - i.fromMs), 0)

export function overlapMs(a: Interval[], b: Interval[]) {
  let sum = 0
  for (const x of a) for (const y of b) sum += Math.max(0, Math.min(x.toMs, y.toMs) - Math.max(x.fromMs, y.fromMs))
  return sum
}

/** One student's outcome for one class (before any teacher override). */
export function outcomeOf(marks: Mark[], startMs: number, endMs: number, rules: StatusRules): Outcome {
  const classMs = Math.max(0, endMs - startMs)
  const presence = presenceIntervals(marks, startMs, endMs, rules.reconnectGraceMs)
  const presentMs = total(presence)
  const activeMs = presentMs - overlapMs(presence, hiddenSpans(marks, endMs))
  const firstJoinMs = presence[0]?.fromMs ?? null
  const lastLeaveMs = presence.at(-1)?.toMs ?? null
  return { status: statusOf({ presentMs, activeMs, firstJoinMs, lastLeaveMs }, startMs, endMs, rules), presentMs, activeMs, classMs, firstJoinMs, lastLeaveMs }
}

/** Absent, then inactive, late, left early, present: the first that applies. */
export function statusOf(
  o: { presentMs: number; activeMs: number; firstJoinMs: number | null; lastLeaveMs: number | null },
  startMs: number,
  endMs: number,
  rules: StatusRules
): AttendanceStatus {
  if (o.presentMs <= 0 || o.firstJoinMs === null || o.lastLeaveMs === null) return 'absent'
  const hiddenShare = (o.presentMs - o.activeMs) / o.presentMs
  if (hiddenShare * 100 >= rules.inactivePercent) return 'inactive'
  if (o.firstJoinMs > startMs + rules.lateGraceMs) return 'late'
  if (o.lastLeaveMs < endMs - rules.leftEarlyMs) return 'left_early'
  return 'present'
}

export interface RateRow {
  status: AttendanceStatus
  presentMs: number
  activeMs: number
  classMs: number
}

/**
 * Attended minutes / class minutes over some records (a class, a course, a student's period).
 * Excused classes count neither way. Null when nothing counts.
 */
export function rateOf(rows: RateRow[], basis: 'active' | 'present'): number | null {
  let attended = 0
  let planned = 0
  for (const row of rows) {
    if (row.status === 'excused' || row.classMs <= 0) continue
    attended += Math.min(row.classMs, basis === 'active' ? row.activeMs : row.presentMs)
    planned += row.classMs
  }
  return planned > 0 ? attended / planned : null
}

/** Fills `{name}` placeholders; unknown names stay as they are. */
export function fillTemplate(template: string, values: Record<string, string>) {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? values[name] : whole))
}

export const percent = (rate: number | null) => (rate === null ? '–' : `${Math.round(rate * 100)} %`)
