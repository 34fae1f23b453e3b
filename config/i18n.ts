import { existsSync, readdirSync } from 'node:fs'
import app from '@adonisjs/core/services/app'
import { defineConfig, formatters, loaders } from '@adonisjs/i18n'

/*
| Server-side translations (e-mails, server-rendered texts, validation messages).
| Core texts live in resources/lang/<locale>/<namespace>.json; a plugin keeps its own in
| plugins/<id>/resources/lang/<locale>/<id>.json, so its keys read `<id>.<key>`.
| The browser's strings are in resources/js/locales and plugins/<id>/ui/locales (vue-i18n).
*/
const pluginsDir = app.makePath('plugins')
const pluginLangDirs = existsSync(pluginsDir)
  ? readdirSync(pluginsDir)
      .map((id) => app.makePath('plugins', id, 'resources', 'lang'))
      .filter((dir) => existsSync(dir))
  : []

export const SUPPORTED_LOCALES = ['en', 'de'] as const
export type SupportedLocale = (typeof SUPPORTED_LOCALES)[number]

const i18nConfig = defineConfig({
  defaultLocale: 'en',
  supportedLocales: [...SUPPORTED_LOCALES],
  fallbackLocales: { de: 'en' },
  formatter: formatters.icu(),
  loaders: [loaders.fs({ location: app.languageFilesPath() }), ...pluginLangDirs.map((location) => loaders.fs({ location }))],
})

export default i18nConfig
