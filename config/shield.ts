import { defineConfig } from '@adonisjs/shield'

const shieldConfig = defineConfig({
  csp: { enabled: false, directives: {}, reportOnly: false },
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
