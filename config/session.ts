import env from '#start/env'
import { defineConfig, stores } from '@adonisjs/session'

/*
| Cookie store: session data lives in an encrypted cookie, so any app process
| (and the socket.io handshake) can read it without shared server state.
*/
export const SESSION_COOKIE_NAME = 'aula-session'

const sessionConfig = defineConfig({
  enabled: true,
  cookieName: SESSION_COOKIE_NAME,
  clearWithBrowser: false,
  age: '8h',
  /* Secure is added per request over HTTPS (SecureTransportMiddleware). */
  cookie: { path: '/', httpOnly: true, secure: false, sameSite: 'lax' },
  store: env.get('SESSION_DRIVER', 'cookie'),
  stores: { cookie: stores.cookie() },
})

export default sessionConfig
