import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import inertia from '@adonisjs/inertia/client'
import adonisjs from '@adonisjs/vite/client'

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
  server: { fs: { allow: ['.'] }, hmr: process.env.AULA_HMR === '1', ...(process.env.AULA_HMR === '1' ? {} : { ws: false as const }) },
})
