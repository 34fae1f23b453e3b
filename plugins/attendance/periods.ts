import { DateTime, IANAZone } from 'luxon'

/*
| Reporting periods (weeks or months) in the school's time zone, with its week start.
*/
export type PeriodKind = 'weekly' | 'monthly'
export type WeekStart = 'monday' | 'sunday'

export interface Period {
  /** `range`: any run of days (exports of a term), see rangePeriod. */
  kind: PeriodKind | 'range'
  /** Stable name, e.g. `week-2026-11-23` (local start date) or `month-2026-11`. */
  key: string
  fromMs: number
  toMs: number
  /** Human label, e.g. `2026-11-23 – 2026-11-29` or `2026-11`. */
  label: string
}

export const validZone = (zone: string | null | undefined, fallback = 'UTC') =>
  zone && IANAZone.isValidZone(zone) ? zone : IANAZone.isValidZone(fallback) ? fallback : 'UTC'

export function periodOf(atMs: number, kind: PeriodKind, zone: string, weekStart: WeekStart = 'monday'): Period {
  const local = DateTime.fromMillis(atMs, { zone: validZone(zone) })
  if (kind === 'monthly') {
    const from = local.startOf('month')
    const to = from.plus({ months: 1 })
    return { kind, key: `month-${from.toFormat('yyyy-MM')}`, fromMs: from.toMillis(), toMs: to.toMillis(), label: from.toFormat('yyyy-MM') }
  }
  const day = local.startOf('day')
  // Luxon weekdays: Monday 1 … Sunday 7.
  const back = weekStart === 'monday' ? day.weekday - 1 : day.weekday % 7
  const from = day.minus({ days: back })
  const to = from.plus({ weeks: 1 })
  return {
    kind,
    key: `week-${from.toISODate()}`,
    fromMs: from.toMillis(),
    toMs: to.toMillis(),
    label: `${from.toISODate()} – ${to.minus({ days: 1 }).toISODate()}`,
  }
}

/** The period before the one containing `atMs`. */
export function previousPeriod(atMs: number, kind: PeriodKind, zone: string, weekStart: WeekStart = 'monday') {
  return periodOf(periodOf(atMs, kind, zone, weekStart).fromMs - 1, kind, zone, weekStart)
}

/** The days `from` to `to` (ISO dates, both included) in the school's zone; null unless 1 to 366 days. */
export function rangePeriod(from: string, to: string, zone: string): Period | null {
  const start = DateTime.fromISO(from, { zone: validZone(zone) }).startOf('day')
  const last = DateTime.fromISO(to, { zone: validZone(zone) }).startOf('day')
  if (!start.isValid || !last.isValid || last < start || last.diff(start, 'days').days > 365) return null
  const end = last.plus({ days: 1 })
  return { kind: 'range', key: `${start.toISODate()}-${last.toISODate()}`, fromMs: start.toMillis(), toMs: end.toMillis(), label: `${start.toISODate()} – ${last.toISODate()}` }
}
