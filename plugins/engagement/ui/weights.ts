/* Slider arithmetic for the admin's weights: moving one keeps the five summing to 100 (pure, unit-tested). */
export const SIGNAL_KEYS = ['camera', 'quiz', 'chat', 'whiteboard', 'attendance'] as const
export type SignalKey = (typeof SIGNAL_KEYS)[number]
export type WeightMap = Record<SignalKey, number>

/**
 * Sets one weight (clamped to 0–100, whole numbers) and shares the rest among the others in proportion
 * to their current weights (evenly when they are all 0); the largest remainders get the leftover points.
 */
export function rebalance(weights: WeightMap, key: SignalKey, value: number): WeightMap {
  const v = Math.min(100, Math.max(0, Math.round(value)))
  const others = SIGNAL_KEYS.filter((k) => k !== key)
  const remaining = 100 - v
  const sum = others.reduce((s, k) => s + weights[k], 0)
  const exact = others.map((k) => ({ k, x: sum > 0 ? (weights[k] * remaining) / sum : remaining / others.length }))
  const next = { ...weights, [key]: v } as WeightMap
  for (const { k, x } of exact) next[k] = Math.floor(x)
  let left = remaining - exact.reduce((s, { k }) => s + next[k], 0)
  for (const { k } of [...exact].sort((a, b) => b.x - Math.floor(b.x) - (a.x - Math.floor(a.x)))) {
    if (left <= 0) break
    next[k]++
    left--
  }
  return next
}
