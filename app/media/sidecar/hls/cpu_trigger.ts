/*
| The HLS trigger of one mediasoup worker (issue 14): "on" once the worker's CPU has stayed at or
| above `enterAt` for `enterForMs`, "off" again only once it has stayed below `leaveBelow` for
| `leaveForMs` (hysteresis, so new joiners do not flap between HLS and WebRTC). Pure: it is fed
| samples with their time and never reads a clock, so it is unit-tested with made-up times.
*/

export interface TriggerParams {
  /** Share of one core, 0..1: at or above it counts towards turning on. */
  enterAt: number
  /** How long the CPU must stay at or above `enterAt` (ms). */
  enterForMs: number
  /** Share of one core, 0..1: below it counts towards turning off. */
  leaveBelow: number
  /** How long the CPU must stay below `leaveBelow` (ms). */
  leaveForMs: number
}

export interface CpuSample {
  /** ms (any clock, increasing). */
  at: number
  /** Share of one core over the period that ends at `at`, 0..1. */
  cpu: number
}

/** A sample gap longer than this breaks a run (the sidecar samples every 2 s; a gap means nothing was measured). */
export const MAX_SAMPLE_GAP_MS = 10_000

export class CpuTrigger {
  active = false
  /** When `active` last changed (ms), null before the first change. */
  changedAt: number | null = null
  /** Start of the current run of samples that count towards a change, null when there is none. */
  #runStart: number | null = null
  #lastAt: number | null = null

  constructor(readonly params: TriggerParams) {}

  observe({ at, cpu }: CpuSample) {
    if (this.#lastAt !== null && at <= this.#lastAt) return
    /* A sample covers the period since the previous one: a run starts where its first sample's period began. */
    const periodStart = this.#lastAt !== null && at - this.#lastAt <= MAX_SAMPLE_GAP_MS ? this.#lastAt : at
    if (periodStart !== this.#lastAt) this.#runStart = null
    this.#lastAt = at
    const counts = this.active ? cpu < this.params.leaveBelow : cpu >= this.params.enterAt
    if (!counts) {
      this.#runStart = null
      return
    }
    this.#runStart ??= periodStart
    const needed = this.active ? this.params.leaveForMs : this.params.enterForMs
    if (at - this.#runStart >= needed) {
      this.active = !this.active
      this.changedAt = at
      this.#runStart = null
    }
  }
}

export const paramsKey = (p: TriggerParams) => `${p.enterAt}:${p.enterForMs}:${p.leaveBelow}:${p.leaveForMs}`
