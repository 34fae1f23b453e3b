import { CpuTrigger, paramsKey, type CpuSample, type TriggerParams } from './cpu_trigger.js'

/** How much CPU history each worker keeps: a trigger asked for the first time replays it. */
export const HISTORY_MS = 5 * 60_000
/** A trigger nobody asked about for this long is dropped (a school changed its settings, a class ended). */
const IDLE_MS = 10 * 60_000

interface Entry {
  trigger: CpuTrigger
  askedAt: number
}

/**
 * The HLS triggers of a sidecar's workers. Schools may set different thresholds, so each worker keeps
 * its recent CPU samples and one CpuTrigger per set of parameters asked about; a new one replays the
 * history, so it answers at once as if it had been running. Fed by the sidecar's load sampling
 * (every MEDIA_LOAD_REPORT_MS, 2 s by default); the clock is injected for tests.
 */
export class WorkerTriggers {
  #history = new Map<number, CpuSample[]>()
  #triggers = new Map<string, Entry>()
  /** Test drills (debug.cpu): replaces every measured sample with this share of a core. */
  override: number | null = null

  constructor(private now: () => number = Date.now) {}

  /** One sample per worker (by pool index, which a replacement worker keeps). */
  record(samples: { index: number; cpu: number }[]) {
    const at = this.now()
    for (const { index, cpu: measured } of samples) {
      const sample = { at, cpu: this.override ?? measured }
      const history = this.#history.get(index) ?? []
      history.push(sample)
      while (history.length && history[0].at < at - HISTORY_MS) history.shift()
      this.#history.set(index, history)
      for (const [key, entry] of this.#triggers) {
        if (key.startsWith(`${index}|`)) entry.trigger.observe(sample)
      }
    }
    for (const [key, entry] of this.#triggers) if (entry.askedAt < at - IDLE_MS) this.#triggers.delete(key)
  }

  /** Whether a worker's trigger with these parameters holds, and its latest CPU sample. */
  state(index: number, params: TriggerParams) {
    const key = `${index}|${paramsKey(params)}`
    let entry = this.#triggers.get(key)
    const history = this.#history.get(index) ?? []
    if (!entry) {
      const trigger = new CpuTrigger(params)
      for (const sample of history) trigger.observe(sample)
      entry = { trigger, askedAt: 0 }
      this.#triggers.set(key, entry)
    }
    entry.askedAt = this.now()
    return { active: entry.trigger.active, changedAt: entry.trigger.changedAt, cpu: history.at(-1)?.cpu ?? 0 }
  }
}
