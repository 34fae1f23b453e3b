import env from '#start/env'
import { Secret } from '@adonisjs/core/helpers'
import { defineConfig } from '@adonisjs/core/http'

export const appKey = new Secret(env.get('APP_KEY'))

export const http = defineConfig({
  generateRequestId: true,
  allowMethodSpoofing: false,
  useAsyncLocalStorage: false,
  /* Whose X-Forwarded-* headers are believed (proxy-addr syntax, comma separated): the HTTPS proxy in front of Aula. */
  trustProxy: env.get('TRUSTED_PROXIES', 'loopback'),
  cookie: {
    domain: '',
    path: '/',
    maxAge: '2h',
    httpOnly: true,
    /* Made Secure per request by SecureTransportMiddleware when the request came over HTTPS. */
    secure: false,
    sameSite: 'lax',
  },
})
