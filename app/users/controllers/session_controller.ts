import type { HttpContext } from '@adonisjs/core/http'
import limiter from '@adonisjs/limiter/services/main'
import User from '#app/users/models/user'
import { loginValidator } from '#app/users/validators'
import { endSessionsOf, rememberSessionVersion } from '#app/users/session_version'

const loginLimiter = () => limiter.use({ requests: 5, duration: '1 min', blockDuration: '2 min' })

export default class SessionController {
  async create({ inertia }: HttpContext) {
    return inertia.render('auth/login')
  }

  /** Logs in; five wrong passwords per minute for an e-mail from one address block it for two minutes. */
  async store({ request, auth, response, session, i18n }: HttpContext) {
    const { email, password } = await request.validateUsing(loginValidator)
    const key = `login:${request.ip()}:${email.toLowerCase()}`
    let user: User | null = null
    let error: Awaited<ReturnType<ReturnType<typeof loginLimiter>['penalize']>>[0] = null
    try {
      ;[error, user] = await loginLimiter().penalize(key, () => User.verifyCredentials(email, password))
    } catch (verifyError) {
      if ((verifyError as { code?: string }).code !== 'E_INVALID_CREDENTIALS') throw verifyError
    }
    if (error) {
      const seconds = Math.ceil(error.response.availableIn)
      if (request.accepts(['html', 'json']) === 'json') {
        return response.tooManyRequests({ errors: [{ message: `Too many attempts. Try again in ${seconds}s.` }] })
      }
      session.flash('error', i18n.t('core.flash.tooManyLogins', { seconds }))
      return response.redirect().back()
    }
    if (!user) {
      if (request.accepts(['html', 'json']) === 'json') {
        return response.badRequest({ errors: [{ message: 'Invalid e-mail or password' }] })
      }
      session.flash('error', i18n.t('core.flash.invalidLogin'))
      session.flashOnly(['email'])
      return response.redirect().back()
    }
    await auth.use('web').login(user)
    rememberSessionVersion(session, user)
    return response.redirect('/')
  }

  /** Logs out everywhere: copies of this session cookie stop working and the user's sockets close. */
  async destroy({ auth, response }: HttpContext) {
    const user = auth.use('web').user
    if (user) await endSessionsOf(user.id)
    await auth.use('web').logout()
    return response.redirect('/login')
  }
}
