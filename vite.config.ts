import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import inertia from '@adonisjs/inertia/client'
import adonisjs from '@adonisjs/vite/client'
import { existsSync, readdirSync } from 'node:fs'

/*
| What the dev server may read: the app's and the plugins' browser code (ui/) and the code a plugin
| shares between server and browser (shared/), and their packages; nothing else.
*/
const pluginUis = readdirSync('plugins', { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .flatMap((entry) => ['ui', 'shared'].map((folder) => `plugins/${entry.name}/${folder}`))
  .filter((folder) => existsSync(folder))

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
      allow: ['resources', ...pluginUis, 'node_modules'],
      deny: ['.env', '.env.*', '*.sqlite3', '*.sqlite3-*', '*.{pem,crt,key}'],
    },
    hmr: process.env.AULA_HMR === '1', ...(process.env.AULA_HMR === '1' ? {} : { ws: false as const }) },
})
