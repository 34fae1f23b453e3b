/* JSON calls to the plugin's HTTP routes (/plugins/attendance/...), with the CSRF header Shield expects. */
import { requestJson } from '~/lib/http'

export const BASE = '/plugins/attendance'
export const api = {
  get: <T>(path: string) => requestJson<T>('GET', `${BASE}${path}`),
  post: <T>(path: string, body: unknown) => requestJson<T>('POST', `${BASE}${path}`, body),
}
export type Format = 'csv' | 'xlsx' | 'pdf'
export const FORMATS: Format[] = ['csv', 'xlsx', 'pdf']
export const reportUrl = (scope: 'courses' | 'students' | 'school', id: number | null, format: Format, period?: string) =>
  `${BASE}/reports/${scope}${id ? `/${id}` : ''}/${format}${period ? `?period=${period}` : ''}`
export const rateText = (rate: number | null) => (rate === null ? '–' : `${Math.round(rate)} %`)
export const STATUSES = ['present', 'late', 'left_early', 'inactive', 'absent', 'excused'] as const
