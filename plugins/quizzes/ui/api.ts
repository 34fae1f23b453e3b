/* JSON calls to the plugin's HTTP routes (/plugins/quizzes/...), with the CSRF header Shield expects. */
import { requestJson } from '~/lib/http'

export { ApiError } from '~/lib/http'
export const BASE = '/plugins/quizzes'

const call = <T>(method: string, path: string, body?: unknown) => requestJson<T>(method, `${BASE}${path}`, body)

export const api = {
  get: <T>(path: string) => call<T>('GET', path),
  post: <T>(path: string, body: unknown) => call<T>('POST', path, body),
  put: <T>(path: string, body: unknown) => call<T>('PUT', path, body),
  delete: (path: string) => call<void>('DELETE', path),
}

export const exportUrl = (scope: 'sessions' | 'courses', id: number, format: 'csv' | 'xlsx') => `${BASE}/${scope}/${id}/export/${format}`
