/* The engagement plugin's additions to the typed realtime event map. */
import type { Signal, SignalPart, Weights } from './rules.js'

/** One student's live figures: score, the five values (null = not measured) and the change over the drift window. */
export type LiveRow = [userId: number, score: number | null, drift: number | null, ...values: (number | null)[]]

export interface LiveTick {
  sessionId: number
  at: string
  weights: Weights
  enabled: Record<Signal, boolean>
  rows: LiveRow[]
}

export interface LiveWatch extends LiveTick {
  names: Record<number, string>
  bucketMs: number
  driftMs: number
  /** Past scores: bucket start times and, per student, the score at the end of each bucket. */
  history: { t: string[]; scores: Record<number, (number | null)[]> }
}

export interface OwnScore {
  score: number | null
  parts: SignalPart[]
}

declare module '#app/realtime/events' {
  interface ClientEvents {
    'engagement:watch': { payload: Record<string, never>; result: LiveWatch }
    'engagement:mine': { payload: Record<string, never>; result: OwnScore }
  }
  interface ServerEvents {
    'engagement:tick': LiveTick
  }
}
