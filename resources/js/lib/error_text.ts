import { i18n } from '~/i18n'
import { ApiError } from '~/lib/http'
import { RealtimeRequestError } from '~/lib/realtime'

/*
| What the UI says when a request fails, in the user's language. The server's messages are for
| developers and logs (English); the UI maps a socket error's code (error acks: forbidden,
| rate_limited, …) and an HTTP error's status to catalogue texts (`errors.realtime.<code>`,
| `errors.http.<status>`). Vine's field messages are already translated by the server and are kept.
*/
/** `pluginId`: a plugin may say it better for its own requests under `<pluginId>.errors.<code>`. */
export function errorText(error: unknown, pluginId?: string): string {
  const { t, te } = i18n.global
  if (error instanceof RealtimeRequestError) {
    if (pluginId && te(`${pluginId}.errors.${error.code}`)) return t(`${pluginId}.errors.${error.code}`)
    return te(`errors.realtime.${error.code}`) ? t(`errors.realtime.${error.code}`) : t('errors.generic')
  }
  if (error instanceof ApiError) {
    if (error.localised) return error.message
    const status = error.status >= 500 ? 500 : error.status
    return te(`errors.http.${status}`) ? t(`errors.http.${status}`) : t('errors.generic')
  }
  if (error instanceof TypeError) return t('errors.network')
  return t('errors.generic')
}
