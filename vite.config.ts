import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import inertia from '@adonisjs/inertia/client'
import adonisjs from '@adonisjs/vite/client'

/*
| What the dev server (development and tests only; production serves built assets) may read: the
| app's browser code, the plugins (their ui/ imports their event contracts), the realtime event
| contract and the packages. Never the database, .env, config or storage (see docs/security.md).
*/
export default defineConfig({
  /* vue-i18n feature flags: Composition API only, no devtools in production. */
  define: { __VUE_I18N_FULL_INSTALL__: true, __VUE_I18N_LEGACY_API__: false, __INTLIFY_PROD_DEVTOOLS__: false },
  plugins: [
    inertia({ ssr: { enabled: false } }),
    vue({ template: { transformAssetUrls: { includeAbsolute: false } } }),
    adonisjs({ entrypoints: ['resources/js/app.ts'], reload: ['resources/views/**/*.edge'] }),
  ],
  resolve: {
    alias: {
      '~/': `${import.meta.dirname}/resources/js/`,
      '@plugins/': `${import.meta.dirname}/plugins/`,
    },
  },
  server: {
    fs: {
      strict: true,
      allow: ['resources', 'plugins', 'app/realtime/events.ts', 'node_modules'],
      deny: ['.env', '.env.*', '*.sqlite3', '*.sqlite3-*', '*.{pem,crt,key}'],
    },
    hmr: process.env.AULA_HMR === '1', ...(process.env.AULA_HMR === '1' ? {} : { ws: false as const }) },
})
