/*
| The at-risk rule (pure): over a student's last N class scores (oldest first, unmeasured left out),
| "low" when their mean is below the school's threshold, "falling" when there are at least three and
| the least-squares slope is at most −FALLING_SLOPE points per class.
*/
export const FALLING_SLOPE = 3

export function slope(values: number[]) {
  const n = values.length
  if (n < 2) return 0
  const meanX = (n - 1) / 2
  const meanY = values.reduce((a, b) => a + b, 0) / n
  let num = 0
  let den = 0
  values.forEach((y, x) => {
    num += (x - meanX) * (y - meanY)
    den += (x - meanX) ** 2
  })
  return num / den
}

export interface RiskVerdict {
  mean: number | null
  slope: number
  low: boolean
  falling: boolean
  atRisk: boolean
}

export function riskOf(scores: (number | null)[], threshold: number): RiskVerdict {
  const values = scores.filter((s): s is number => typeof s === 'number')
  if (!values.length) return { mean: null, slope: 0, low: false, falling: false, atRisk: false }
  const mean = Math.round((values.reduce((a, b) => a + b, 0) / values.length) * 10) / 10
  const s = Math.round(slope(values) * 10) / 10
  const low = mean < threshold
  const falling = values.length >= 3 && s <= -FALLING_SLOPE
  return { mean, slope: s, low, falling, atRisk: low || falling }
}
