/* JSON calls to /plugins/engagement/... with the CSRF header Shield expects. */
import { requestJson } from '~/lib/http'

export const BASE = '/plugins/engagement'
export const api = {
  get: <T>(path: string) => requestJson<T>('GET', `${BASE}${path}`),
  post: <T>(path: string, body: unknown) => requestJson<T>('POST', `${BASE}${path}`, body),
  put: <T>(path: string, body: unknown) => requestJson<T>('PUT', `${BASE}${path}`, body),
}

export interface Part {
  signal: 'camera' | 'quiz' | 'chat' | 'whiteboard' | 'attendance'
  value: number | null
  notMeasured: 'disabled' | 'no_data' | null
  weight: number
  effectiveWeight: number
  detail: Record<string, number | string>
}

export interface ScoreRow {
  sessionId: number
  courseId: number
  userId: number
  endedAt: string
  score: number | null
  parts: Part[]
}
