import { defineConfig } from '@adonisjs/core/app'

export default defineConfig({
  commands: [
    () => import('@adonisjs/core/commands'),
    () => import('@adonisjs/lucid/commands'),
    () => import('@adonisjs/session/commands'),
  ],
  providers: [
    () => import('@adonisjs/core/providers/app_provider'),
    () => import('@adonisjs/core/providers/hash_provider'),
    { file: () => import('@adonisjs/core/providers/repl_provider'), environment: ['repl', 'test'] },
    () => import('@adonisjs/core/providers/vinejs_provider'),
    () => import('@adonisjs/core/providers/edge_provider'),
    () => import('@adonisjs/session/session_provider'),
    () => import('@adonisjs/vite/vite_provider'),
    () => import('@adonisjs/shield/shield_provider'),
    () => import('@adonisjs/static/static_provider'),
    () => import('@adonisjs/lucid/database_provider'),
    () => import('@adonisjs/auth/auth_provider'),
    () => import('@adonisjs/inertia/inertia_provider'),
    () => import('@adonisjs/bouncer/bouncer_provider'),
    () => import('@adonisjs/limiter/limiter_provider'),
    () => import('@adonisjs/transmit/transmit_provider'),
    () => import('#app/plugins/plugin_host_provider'),
    () => import('#app/realtime/realtime_provider'),
    () => import('#app/media/media_provider'),
    () => import('@adonisjs/i18n/i18n_provider'),
    () => import('@adonisjs/mail/mail_provider'),
    () => import('#app/mail/mail_outbox_provider'),
  ],
  preloads: [() => import('#start/routes'), () => import('#start/kernel'), () => import('#start/events')],
  tests: {
    suites: [
      { files: ['tests/unit/**/*.spec(.ts|.js)', 'plugins/*/tests/unit/**/*.spec(.ts|.js)'], name: 'unit', timeout: 10000 },
      { files: ['tests/functional/**/*.spec(.ts|.js)', 'plugins/*/tests/functional/**/*.spec(.ts|.js)'], name: 'functional', timeout: 30000 },
      { files: ['tests/realtime/**/*.spec(.ts|.js)', 'plugins/*/tests/realtime/**/*.spec(.ts|.js)'], name: 'realtime', timeout: 60000 },
      { files: ['tests/media/**/*.spec(.ts|.js)'], name: 'media', timeout: 120000 },
      { files: ['tests/browser/**/*.spec(.ts|.js)', 'plugins/*/tests/browser/**/*.spec(.ts|.js)'], name: 'browser', timeout: 120000 },
    ],
    forceExit: true,
  },
  metaFiles: [
    { pattern: 'resources/views/**/*.edge', reloadServer: false },
    { pattern: 'public/**', reloadServer: false },
    { pattern: 'resources/lang/**/*.json', reloadServer: false },
    { pattern: 'plugins/*/resources/lang/**/*.json', reloadServer: false },
  ],
  directories: { views: 'resources/views', commands: 'app/commands' },
  assetsBundler: false,
  hooks: {
    onBuildStarting: [() => import('@adonisjs/vite/build_hook')],
  },
})
