/* Small display helpers shared by the quiz parts. */
import { uiLocale } from '~/lib/types'

export function seconds(ms: number | null | undefined) {
  if (ms === null || ms === undefined) return '—'
  return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`
}

export function clock(ms: number) {
  const total = Math.max(0, Math.ceil(ms / 1000))
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`
}

export function percent(part: number, whole: number) {
  return whole ? Math.round((part / whole) * 100) : 0
}

export function dateTime(iso: string | null) {
  if (!iso) return ''
  return new Date(iso).toLocaleString(uiLocale(), { dateStyle: 'medium', timeStyle: 'short' })
}
