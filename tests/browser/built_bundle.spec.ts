import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { test } from '@japa/runner'
import type { Browser } from 'playwright-core'
import { launchChromium } from '#tests/helpers/browser'
import { TEST_URL } from '#tests/helpers/sockets'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
/** bin/run_tests.sh sets it for the PostgreSQL + Redis run: every browser test of that run uses the production build. */
const BUILT = process.env.AULA_BUILT_ASSETS === '1'

/*
| Which bundle the browser tests get. With AULA_BUILT_ASSETS=1 (app/core/vite_provider.ts) the page
| must load the production build of bin/setup/build_assets.sh — the hashed files its manifest names —
| and nothing from Vite's dev server; without it, Vite's dev server. A run that asked for the build
| and silently got the dev server (or the reverse) fails here.
*/
test.group('Browser assets: the bundle the test server serves', (group) => {
  let browser: Browser
  group.setup(async () => {
    browser = await launchChromium()
    return () => browser.close()
  })

  test(`the login page runs on ${BUILT ? 'the production build (manifest, hashed files)' : "Vite's dev server"}`, async ({ assert }) => {
    const context = await browser.newContext()
    const page = await context.newPage()
    const loaded: { path: string; status: number }[] = []
    page.on('response', (response) => loaded.push({ path: new URL(response.url()).pathname, status: response.status() }))
    await page.goto(`${TEST_URL}/login`)
    await page.waitForSelector('#email') // the Vue app rendered the form: its code ran
    const paths = loaded.map((r) => r.path)
    const code = loaded.filter((r) => /\.(js|ts|vue|css)$/.test(r.path) || r.path.startsWith('/@'))

    if (BUILT) {
      const manifest: Record<string, { file: string; css?: string[] }> = JSON.parse(
        await readFile(`${ROOT}public/assets/.vite/manifest.json`, 'utf8')
      )
      const built = new Set(Object.values(manifest).flatMap((chunk) => [chunk.file, ...(chunk.css ?? [])]).map((file) => `/assets/${file}`))
      const entry = `/assets/${manifest['resources/js/app.ts'].file}`
      assert.match(entry, /^\/assets\/app-[\w-]{8}\.js$/, 'the entry is a content-hashed file')
      assert.include(paths, entry, 'the page loads the built entry named by the manifest')
      assert.isTrue(
        paths.some((p) => p === `/assets/${manifest['resources/js/pages/auth/login.vue']?.file}`),
        'the login page component comes from the build'
      )
      for (const { path, status } of code) {
        assert.isTrue(built.has(path), `${path} is not a file of the production build`)
        assert.equal(status, 200, path)
      }
      for (const path of paths) {
        assert.isFalse(/^\/(@vite|@fs|@id|resources|node_modules|plugins)\//.test(path), `${path} comes from Vite's dev server`)
      }
    } else {
      assert.include(paths, '/@vite/client', "Vite's dev client is loaded")
      assert.include(paths, '/resources/js/app.ts', 'the entry is served from source')
      assert.isFalse(paths.some((p) => p.startsWith('/assets/app-')), 'no built entry')
    }
    await context.close()
  })
})
