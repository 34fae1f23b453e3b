import type { HttpContext } from '@adonisjs/core/http'
import vine from '@vinejs/vine'
import { SUPPORTED_LOCALES } from '#config/i18n'

const localeValidator = vine.compile(vine.object({ locale: vine.enum(SUPPORTED_LOCALES).nullable() }))

export default class ProfileController {
  /** The user's language for the UI and their e-mails; null follows the browser. */
  async updateLocale({ auth, request, response }: HttpContext) {
    const user = auth.getUserOrFail()
    const { locale } = await request.validateUsing(localeValidator)
    user.locale = locale
    await user.save()
    if (request.accepts(['html', 'json']) === 'json') return { locale: user.locale }
    return response.redirect().back()
  }
}
