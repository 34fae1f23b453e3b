import { i18n } from '~/i18n'
import { errorText } from '~/lib/error_text'

/**
 * What went wrong with the camera, microphone or screen, in the UI's language: the browser's
 * getUserMedia / getDisplayMedia refusals by name, the server's refusals by code, anything else generic.
 */
export function mediaErrorText(error: unknown): string {
  const { t } = i18n.global
  switch ((error as DOMException | null)?.name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return t('video.mediaErrors.blocked')
    case 'NotFoundError':
    case 'OverconstrainedError':
      return t('video.mediaErrors.notFound')
    case 'NotReadableError':
    case 'AbortError':
      return t('video.mediaErrors.inUse')
    default:
      if ((error as { details?: { reason?: string } } | null)?.details?.reason === 'no_media') return t('video.mediaErrors.noMedia')
      return errorText(error, 'video')
  }
}
