import type { HttpContext } from '@adonisjs/core/http'

/** Props every Inertia page receives. */
export const sharedPageProps = {
  user: (ctx: HttpContext) =>
    ctx.inertia.always(() => {
      const user = ctx.auth?.user
      return user
        ? { id: user.id, fullName: user.fullName, email: user.email, role: user.role, schoolId: user.schoolId, locale: user.locale ?? null }
        : null
    }),
  flash: (ctx: HttpContext) =>
    ctx.inertia.always(() => ({
      success: ctx.session?.flashMessages.get('success') ?? null,
      error: ctx.session?.flashMessages.get('error') ?? null,
    })),
  /** The UI language (see config/i18n.ts); the browser's vue-i18n follows it. */
  locale: (ctx: HttpContext) => ctx.inertia.always(() => ctx.i18n?.locale ?? 'en'),
  errors: (ctx: HttpContext) => ctx.inertia.always(() => ctx.session?.flashMessages.get('errors') ?? {}),
}
