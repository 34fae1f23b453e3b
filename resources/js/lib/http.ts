/*
| JSON calls from the browser to Aula's HTTP routes (core and plugins), with the CSRF header
| Shield expects and the server's error message surfaced as ApiError.
*/
export function xsrfToken() {
  const match = document.cookie.split('; ').find((c) => c.startsWith('XSRF-TOKEN='))
  return match ? decodeURIComponent(match.slice('XSRF-TOKEN='.length)) : ''
}

export class ApiError extends Error {
  constructor(
    message: string,
    public status: number,
    /** A Vine validation message (rule set), already in the user's language (resources/lang/<locale>/validator.json). */
    public localised = false
  ) {
    super(message)
  }
}

const fallbackMessage = (status: number) =>
  status === 413 ? 'The file is too large' : status === 404 ? 'Not found' : `The server answered ${status}`

/** The JSON body of a response, or an ApiError with the server's first error message. */
export async function parseJson<T>(response: Response): Promise<T> {
  if (response.status === 204) return undefined as T
  const data = await response.json().catch(() => ({}))
  if (!response.ok) {
    const first = data?.errors?.[0]
    throw new ApiError(first?.message ?? data?.message ?? fallbackMessage(response.status), response.status, typeof first?.rule === 'string')
  }
  return data as T
}

/** A same-origin request; `body` is sent as JSON, or as is when it is FormData. */
export async function requestJson<T>(method: string, url: string, body?: unknown): Promise<T> {
  const isForm = body instanceof FormData
  const response = await fetch(url, {
    method,
    credentials: 'same-origin',
    headers: {
      'Accept': 'application/json',
      ...(body === undefined || isForm ? {} : { 'Content-Type': 'application/json' }),
      ...(method === 'GET' ? {} : { 'X-XSRF-TOKEN': xsrfToken() }),
    },
    body: body === undefined ? undefined : isForm ? body : JSON.stringify(body),
  })
  return parseJson<T>(response)
}
