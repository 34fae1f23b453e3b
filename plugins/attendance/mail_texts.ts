import i18nManager from '@adonisjs/i18n/services/main'
import type { DirectoryUser } from '#app/plugins/api'
import { fillTemplate } from './rules.js'
import { DEFAULT_THRESHOLD_BODY, DEFAULT_THRESHOLD_SUBJECT } from './settings.js'

/*
| E-mails in the RECIPIENT's language (their profile's choice, else the default locale). A school that
| wrote its own threshold text gets exactly that text; while it keeps the default, the default is
| taken from the plugin's catalogue (resources/lang/<locale>/attendance.json) in each recipient's language.
*/
export function i18nFor(recipient: Pick<DirectoryUser, 'locale'>) {
  const locale = recipient.locale && i18nManager.supportedLocales().includes(recipient.locale) ? recipient.locale : i18nManager.defaultLocale
  return i18nManager.locale(locale)
}

export function thresholdMail(recipient: DirectoryUser, settings: { subject: string; body: string }, values: Record<string, string>) {
  const i18n = i18nFor(recipient)
  const all = { ...values, recipient: recipient.fullName }
  return {
    subject: settings.subject === DEFAULT_THRESHOLD_SUBJECT ? i18n.t('attendance.mail.threshold_subject', all) : fillTemplate(settings.subject, all),
    text: settings.body === DEFAULT_THRESHOLD_BODY ? i18n.t('attendance.mail.threshold_body', all) : fillTemplate(settings.body, all),
  }
}

export function absencesMail(recipient: DirectoryUser, values: { student: string; count: number; missed: string; link: string }) {
  const i18n = i18nFor(recipient)
  const all = { ...values, recipient: recipient.fullName }
  return { subject: i18n.t('attendance.mail.absences_subject', all), text: i18n.t('attendance.mail.absences_body', all) }
}
