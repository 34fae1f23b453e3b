import app from '@adonisjs/core/services/app'

/** The application's APP_KEY (config/app.ts), used as the HMAC key of anonymous respondent keys. */
export function appKey(): string {
  const key = app.config.get<{ release(): unknown } | string>('app.appKey')
  const value = typeof key === 'string' ? key : String(key.release())
  if (!value) throw new Error('APP_KEY is not configured')
  return value
}
