import { i18n } from '~/i18n'

/* Durations, sizes and dates in the UI's language (the user's profile or browser, not the OS's). */
const locale = () => i18n.global.locale.value

export function formatDuration(ms: number | null) {
  if (ms === null || ms === undefined) return '–'
  const total = Math.round(ms / 1000)
  const h = Math.floor(total / 3600)
  const m = Math.floor((total % 3600) / 60)
  const s = total % 60
  return h ? `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}` : `${m}:${String(s).padStart(2, '0')}`
}

export function formatBytes(bytes: number | null) {
  if (bytes === null || bytes === undefined) return '–'
  const number = (value: number, digits: number) =>
    new Intl.NumberFormat(locale(), { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value)
  if (bytes < 1024 * 1024) return `${number(Math.max(1, Math.round(bytes / 1024)), 0)} KB`
  if (bytes < 1024 ** 3) return `${number(bytes / 1024 ** 2, 1)} MB`
  return `${number(bytes / 1024 ** 3, 2)} GB`
}

export function formatStarted(iso: string) {
  return new Date(iso).toLocaleString(locale(), { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' })
}
