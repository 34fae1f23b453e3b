import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import type { Role } from '#app/users/roles'

/** Restricts a route to users having one of the given roles (403 otherwise). */
export default class RoleMiddleware {
  async handle(ctx: HttpContext, next: NextFn, roles: Role[]) {
    const user = ctx.auth.getUserOrFail()
    if (!roles.includes(user.role)) {
      return ctx.response.forbidden({ errors: [{ message: 'Your role does not allow this action' }] })
    }
    return next()
  }
}
