import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import inertia from '@adonisjs/inertia/client'
import adonisjs from '@adonisjs/vite/client'
import { excalidrawWorkerPatience } from './resources/vite/excalidraw_worker_patience.js'

/*
| What the dev server (development and tests only; production serves built assets) may read: the
| app's browser code, the plugins (their ui/ imports their event contracts), the realtime event
| contract and the participant list shared with the server, and the packages. Never the database, .env, config or storage (see docs/security.md).
*/
const SUBSET_WORKER = `${import.meta.dirname}/node_modules/@excalidraw/excalidraw/dist/prod/subset-worker.chunk.js`
let subsetWorkerModules: Set<string> | null = null

/** The subsetting worker's module and everything it imports statically. */
function subsetWorkerGraph(getModuleInfo: (id: string) => { importedIds: readonly string[] } | null) {
  if (subsetWorkerModules) return subsetWorkerModules
  const seen = new Set<string>()
  const queue = [SUBSET_WORKER]
  while (queue.length) {
    const id = queue.pop()!
    const info = getModuleInfo(id)
    if (seen.has(id) || !info) continue
    seen.add(id)
    queue.push(...info.importedIds)
  }
  if (seen.size) subsetWorkerModules = seen
  return seen
}

export default defineConfig({
  /* vue-i18n feature flags: Composition API only, no devtools in production. */
  define: { __VUE_I18N_FULL_INSTALL__: true, __VUE_I18N_LEGACY_API__: false, __INTLIFY_PROD_DEVTOOLS__: false },
  plugins: [
    inertia({ ssr: { enabled: false } }),
    vue({ template: { transformAssetUrls: { includeAbsolute: false } } }),
    adonisjs({ entrypoints: ['resources/js/app.ts'], reload: ['resources/views/**/*.edge'] }),
    excalidrawWorkerPatience(),
  ],
  resolve: {
    alias: {
      '~/': `${import.meta.dirname}/resources/js/`,
      '@plugins/': `${import.meta.dirname}/plugins/`,
    },
  },
  build: {
    rollupOptions: {
      output: {
        /*
        | Excalidraw's font subsetting worker is its own chunk, started with `new Worker(import.meta.url)`.
        | Left to Rollup, that chunk imports the app's entry chunk (which needs a document), the worker
        | fails, and Excalidraw subsets on the page instead, where its WebAssembly glue needs eval, which
        | the Content-Security-Policy refuses. So the worker and what it imports (plain code) get a chunk
        | of their own.
        */
        manualChunks(id, { getModuleInfo }) {
          if (subsetWorkerGraph(getModuleInfo).has(id)) return 'excalidraw-subset-worker'
        },
      },
    },
  },
  server: {
    fs: {
      strict: true,
      allow: ['resources', 'plugins', 'app/realtime/events.ts', 'app/realtime/participant_list.ts', 'node_modules'],
      deny: ['.env', '.env.*', '*.sqlite3', '*.sqlite3-*', '*.{pem,crt,key}'],
    },
    hmr: process.env.AULA_HMR === '1', ...(process.env.AULA_HMR === '1' ? {} : { ws: false as const }) },
})
