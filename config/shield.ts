import app from '@adonisjs/core/services/app'
import { defineConfig } from '@adonisjs/shield'
import env from '#start/env'
import { contentSecurityPolicyDirectives } from '#app/core/content_security_policy'

const shieldConfig = defineConfig({
  /*
  | A strict policy on every routed response (app/core/content_security_policy.ts, docs/security.md).
  | Vite's HMR socket is allowed only where Vite's dev server serves the pages (development and the
  | test suite); its client tries to connect even with hot reload off. Never in production.
  */
  csp: {
    enabled: true,
    directives: contentSecurityPolicyDirectives({
      appUrl: env.get('APP_URL'),
      viteHmr: app.inDev || app.inTest,
    }),
    reportOnly: false,
  },
  csrf: {
    enabled: true,
    exceptRoutes: [],
    enableXsrfCookie: true,
    methods: ['POST', 'PUT', 'PATCH', 'DELETE'],
  },
  xFrame: { enabled: true, action: 'DENY' },
  /* HSTS is sent only over HTTPS, by SecureTransportMiddleware. */
  hsts: { enabled: false },
  contentTypeSniffing: { enabled: true },
})

export default shieldConfig
