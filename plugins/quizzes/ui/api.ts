/* JSON calls to the plugin's HTTP routes (/plugins/quizzes/...), with the CSRF header Shield expects. */
export const BASE = '/plugins/quizzes'

function xsrfToken() {
  const match = document.cookie.split('; ').find((c) => c.startsWith('XSRF-TOKEN='))
  return match ? decodeURIComponent(match.slice('XSRF-TOKEN='.length)) : ''
}

export class ApiError extends Error {
  constructor(
    message: string,
    public status: number
  ) {
    super(message)
  }
}

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${BASE}${path}`, {
    method,
    credentials: 'same-origin',
    headers: {
      'Accept': 'application/json',
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      ...(method === 'GET' ? {} : { 'X-XSRF-TOKEN': xsrfToken() }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  if (response.status === 204) return undefined as T
  const data = await response.json().catch(() => ({}))
  if (!response.ok) {
    const message = data?.errors?.[0]?.message ?? data?.message ?? `The server answered ${response.status}`
    throw new ApiError(message, response.status)
  }
  return data as T
}

export const api = {
  get: <T>(path: string) => call<T>('GET', path),
  post: <T>(path: string, body: unknown) => call<T>('POST', path, body),
  put: <T>(path: string, body: unknown) => call<T>('PUT', path, body),
  delete: (path: string) => call<void>('DELETE', path),
}

export const exportUrl = (scope: 'sessions' | 'courses', id: number, format: 'csv' | 'xlsx') => `${BASE}/${scope}/${id}/export/${format}`
