/** Breakout timer arithmetic, on absolute end times so every process agrees. */
export const MIN_DURATION_MS = 60_000
export const MAX_DURATION_MS = 4 * 60 * 60_000

export function endsAt(startMs: number, durationMinutes: number) {
  return startMs + clampDuration(durationMinutes * 60_000)
}

/** Extends (or shortens, with negative minutes) but never ends sooner than a minute from now. */
export function extend(currentEndMs: number, minutes: number, nowMs: number) {
  const next = currentEndMs + minutes * 60_000
  return Math.min(Math.max(next, nowMs + MIN_DURATION_MS), nowMs + MAX_DURATION_MS)
}

function clampDuration(ms: number) {
  return Math.min(Math.max(ms, MIN_DURATION_MS), MAX_DURATION_MS)
}
