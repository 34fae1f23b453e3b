import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import app from '@adonisjs/core/services/app'

/** Answers 404 on a plugin's routes while the plugin is disabled for the user's school. */
export default class PluginEnabledMiddleware {
  async handle(ctx: HttpContext, next: NextFn, options: { pluginId: string }) {
    const plugins = await app.container.make('plugins')
    const user = ctx.auth.getUserOrFail()
    if (!(await plugins.settings.isEnabled(user.schoolId, options.pluginId))) {
      return ctx.response.notFound({ errors: [{ message: `The ${options.pluginId} plugin is disabled for your school` }] })
    }
    return next()
  }
}
