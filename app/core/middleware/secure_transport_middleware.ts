import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'

const HSTS = 'max-age=15552000; includeSubDomains'

/**
 * When a request came over HTTPS (directly, or through a trusted proxy's X-Forwarded-Proto,
 * see TRUSTED_PROXIES), every cookie is marked Secure and HSTS is offered. Over plain HTTP
 * (the embedded `bin/aula start` on localhost) cookies stay usable and no HSTS is sent.
 */
export default class SecureTransportMiddleware {
  async handle({ request, response }: HttpContext, next: NextFn) {
    try {
      await next()
    } finally {
      if (request.protocol() === 'https') {
        response.header('Strict-Transport-Security', HSTS)
        const cookies = response.getHeader('set-cookie')
        if (cookies) {
          const list = (Array.isArray(cookies) ? cookies : [String(cookies)]).map((line) =>
            /;\s*secure(;|$)/i.test(line) ? line : `${line}; Secure`
          )
          response.header('set-cookie', list)
        }
      }
    }
  }
}
