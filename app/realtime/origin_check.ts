import type { IncomingMessage } from 'node:http'

/*
| Which browser origins may open a socket. A browser always sends Origin with a WebSocket or polling
| request; a page on another site must not be able to open a socket with the user's cookies.
| Allowed: the origins in ALLOWED_ORIGINS (comma separated), APP_URL's origin, and the origin of the
| host the request was sent to (same origin). Clients that send no Origin (not a browser) carry no
| victim's cookies and go on to the usual cookie check.
*/
export function allowedOrigins(env: { ALLOWED_ORIGINS?: string; APP_URL?: string }) {
  const origins = new Set<string>()
  for (const value of [...(env.ALLOWED_ORIGINS ?? '').split(','), env.APP_URL ?? '']) {
    const trimmed = value.trim()
    if (!trimmed) continue
    try {
      origins.add(new URL(trimmed).origin)
    } catch {
      // not a URL: ignored
    }
  }
  return origins
}

export function originAllowed(request: IncomingMessage, configured: Set<string>) {
  const origin = request.headers.origin
  if (!origin) return true
  if (configured.has(origin)) return true
  try {
    return new URL(origin).host === request.headers.host
  } catch {
    return false
  }
}
