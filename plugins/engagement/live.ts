import type { PluginHost } from '#app/plugins/api'
import type { LiveRow, LiveTick, LiveWatch } from './events.js'
import type { Recorder } from './recorder.js'
import { SIGNALS, type Score } from './rules.js'
import { enabledSources, scoreClass } from './scoring.js'
import { settingsFor } from './school_settings.js'
import './events.js'

export type LiveHost = Pick<PluginHost, 'state' | 'directory' | 'plugins' | 'realtime' | 'logger' | 'settings'>
/** A class as socket handlers know it (`id`) — the session of the teacher's socket. */
export interface LiveClass {
  id: number
  schoolId: number
  courseId: number
}

/** Width of one heatmap column, how far back "drifting" looks, and the drop that marks it. */
export const BUCKET_MS = 30_000
export const DRIFT_MS = 3 * 60_000
export const DRIFT_DROP = 10
const HISTORY_BUCKETS = 120

const round2 = (v: number | null) => (v === null ? null : Math.round(v * 100) / 100)
const historyKey = (sessionId: number) => `h:${sessionId}`

/*
| The teacher's live view. Every TICK_MS this process re-scores the classes whose teachers watch from
| it (from shared state, so signals received by any process count) and sends each watching teacher
| socket on this process a compact tick; the score of each time bucket is kept in shared state for the
| heatmap's history and the drift.
*/
export class LiveScores {
  #watched = new Map<number, { ref: LiveClass; sockets: Set<string> }>()

  constructor(
    private host: LiveHost,
    private recorder: Recorder
  ) {}

  watch(ref: LiveClass, socketId: string) {
    const entry = this.#watched.get(ref.id) ?? { ref, sockets: new Set<string>() }
    entry.sockets.add(socketId)
    this.#watched.set(ref.id, entry)
  }

  unwatch(socketId: string) {
    for (const [id, entry] of this.#watched) {
      entry.sockets.delete(socketId)
      if (!entry.sockets.size) this.#watched.delete(id)
    }
  }

  async scores(ref: LiveClass) {
    const [contributions, enrolled, settings, enabled] = await Promise.all([
      this.recorder.live(ref.id),
      this.recorder.students({ sessionId: ref.id, schoolId: ref.schoolId, courseId: ref.courseId }),
      settingsFor(ref.schoolId),
      enabledSources(this.host, ref.schoolId),
    ])
    const scores = scoreClass(contributions, [...enrolled], Date.now(), settings.weights, enabled)
    return { scores, weights: settings.weights, enabled }
  }

  async #history(sessionId: number) {
    const hash = await this.host.state.hgetall(historyKey(sessionId))
    return Object.entries(hash)
      .map(([t, json]) => [Number(t), JSON.parse(json) as Record<number, number | null>] as const)
      .sort((a, b) => a[0] - b[0])
      .slice(-HISTORY_BUCKETS)
  }

  async tick(ref: LiveClass): Promise<LiveTick> {
    const now = Date.now()
    const { scores, weights, enabled } = await this.scores(ref)
    const bucket = Math.floor(now / BUCKET_MS) * BUCKET_MS
    const column = Object.fromEntries([...scores].map(([id, s]) => [id, s.score]))
    await this.host.state.hset(historyKey(ref.id), String(bucket), JSON.stringify(column))
    const history = await this.#history(ref.id)
    const past = history.filter(([t]) => t <= bucket - DRIFT_MS).at(-1)?.[1] ?? history[0]?.[1] ?? {}
    const rows: LiveRow[] = [...scores].map(([id, s]) => {
      const before = past[id]
      const drift = s.score !== null && typeof before === 'number' ? Math.round((s.score - before) * 10) / 10 : null
      return [id, s.score, drift, ...valuesOf(s)]
    })
    return { sessionId: ref.id, at: new Date(now).toISOString(), weights, enabled, rows }
  }

  async snapshot(ref: LiveClass): Promise<LiveWatch> {
    const tick = await this.tick(ref)
    const users = await this.host.directory.users(ref.schoolId, tick.rows.map((r) => r[0]))
    const history = await this.#history(ref.id)
    const scores: Record<number, (number | null)[]> = {}
    for (const row of tick.rows) scores[row[0]] = history.map(([, column]) => column[row[0]] ?? null)
    return {
      ...tick,
      names: Object.fromEntries(users.map((u) => [u.id, u.fullName])),
      bucketMs: BUCKET_MS,
      driftMs: DRIFT_MS,
      history: { t: history.map(([t]) => new Date(t).toISOString()), scores },
    }
  }

  /** One round: every watched class of a school with engagement on, to its watching teachers on this process. */
  async run() {
    for (const { ref } of [...this.#watched.values()]) {
      if (!this.host.realtime.servesSession(ref.id)) {
        this.#watched.delete(ref.id) // the class ended or its teachers left this process
        continue
      }
      try {
        // A school that switched engagement off gets no ticks (the watch stays: switched on again, they resume).
        if (!(await this.host.settings.isEnabled(ref.schoolId))) continue
        this.host.realtime.toTeachersLocal(ref.id).emit('engagement:tick', await this.tick(ref))
      } catch (error) {
        this.host.logger.error({ err: error, sessionId: ref.id }, 'engagement live tick failed')
      }
    }
  }

  forget(sessionId: number) {
    this.#watched.delete(sessionId)
    return this.host.state.del(historyKey(sessionId))
  }
}

const valuesOf = (s: Score) => SIGNALS.map((sig) => round2(s.parts.find((p) => p.signal === sig)!.value))
