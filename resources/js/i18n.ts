import { createI18n } from 'vue-i18n'

/*
| The browser's translations (vue-i18n, Composition API: `const { t } = useI18n()`, or `$t` in
| templates). Core strings live in resources/js/locales/<locale>.json; a plugin keeps its own in
| plugins/<id>/ui/locales/<locale>.json and they are namespaced under its id: `t('chat.send')`.
| The locale comes from the server (the page's `locale` prop: the user's choice or the browser's
| Accept-Language); English is the fallback for any missing key.
*/
type Messages = Record<string, unknown>

export const SUPPORTED_LOCALES = ['en', 'de'] as const
export type Locale = (typeof SUPPORTED_LOCALES)[number]

const coreFiles = import.meta.glob<Messages>('./locales/*.json', { eager: true, import: 'default' })
const pluginFiles = import.meta.glob<Messages>('../../plugins/*/ui/locales/*.json', { eager: true, import: 'default' })

function buildMessages() {
  const messages: Record<string, Messages> = {}
  for (const [path, content] of Object.entries(coreFiles)) {
    const locale = path.match(/([\w-]+)\.json$/)![1]
    messages[locale] = { ...(messages[locale] ?? {}), ...content }
  }
  for (const [path, content] of Object.entries(pluginFiles)) {
    const [, pluginId, locale] = path.match(/plugins\/([\w-]+)\/ui\/locales\/([\w-]+)\.json$/)!
    messages[locale] = { ...(messages[locale] ?? {}), [pluginId]: content }
  }
  return messages
}

export function supportedLocale(candidate: string | null | undefined): Locale {
  const base = (candidate ?? '').toLowerCase().split('-')[0]
  return (SUPPORTED_LOCALES as readonly string[]).includes(base) ? (base as Locale) : 'en'
}

export const i18n = createI18n({
  legacy: false,
  globalInjection: true,
  locale: 'en',
  fallbackLocale: 'en',
  messages: buildMessages(),
})

export function setLocale(locale: string | null | undefined) {
  const chosen = supportedLocale(locale)
  i18n.global.locale.value = chosen
  if (typeof document !== 'undefined') document.documentElement.lang = chosen
}
