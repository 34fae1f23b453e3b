import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { SESSION_VERSION_KEY, sessionVersionMatches } from '#app/users/session_version'

/**
 * A session whose version is not the user's current one (the user logged out elsewhere, or their
 * sessions were ended) is logged out before anything else sees it: the request goes on as a guest.
 */
export default class SessionVersionMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    if (ctx.session.has('auth_web')) {
      const user = await ctx.auth.use('web').check().then(() => ctx.auth.use('web').user)
      if (user && !sessionVersionMatches(ctx.session.get(SESSION_VERSION_KEY), user)) {
        await ctx.auth.use('web').logout()
        ctx.session.forget(SESSION_VERSION_KEY)
      }
    }
    return next()
  }
}
