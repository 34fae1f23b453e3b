import { readdir, readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { test } from '@japa/runner'
import { SUBSET_WORKER_TTL_MS, withPatientWorkers } from '../../resources/vite/excalidraw_worker_patience.js'

const DIST = fileURLToPath(new URL('../../node_modules/@excalidraw/excalidraw/dist/', import.meta.url))

/** The installed Excalidraw build's modules (dev or prod) that mention the worker pool's time-to-live. */
async function workerPoolModules(flavour: 'dev' | 'prod') {
  const dir = `${DIST}${flavour}/`
  const modules: { name: string; code: string }[] = []
  for (const name of await readdir(dir)) {
    if (!name.endsWith('.js')) continue
    const code = await readFile(dir + name, 'utf8')
    if (code.includes('workerTTL')) modules.push({ name, code })
  }
  return modules
}

test.group('Excalidraw font-subsetting worker gets time to start (vite plugin)', () => {
  test('the installed {$self} build: the pool default is found once and raised to 30 s')
    .with(['prod', 'dev'] as const)
    .run(async ({ assert }, flavour) => {
      // An Excalidraw upgrade that reshapes the pool must fail here, not silently bring back the 1 s default.
      const modules = await workerPoolModules(flavour)
      const results = modules.map((m) => withPatientWorkers(m.code))
      assert.equal(
        results.reduce((sum, r) => sum + r.replaced, 0),
        1,
        `the worker pool's default in ${modules.map((m) => m.name).join(', ')}`
      )
      const patched = results.find((r) => r.replaced)!.code
      assert.match(patched, new RegExp(`this\\.workerTTL\\s*=\\s*\\w+\\.ttl\\s*\\|\\|\\s*${SUBSET_WORKER_TTL_MS}\\b`))
      assert.notMatch(patched, /this\.workerTTL\s*=\s*\w+\.ttl\s*\|\|\s*1e3\b/)
    })

  test('code without the pool is left as it is', ({ assert }) => {
    const code = 'const ttl = options.ttl || 1e3'
    assert.deepEqual(withPatientWorkers(code), { code, replaced: 0 })
  })
})

test.group('Excalidraw font-subsetting worker: the build uses the plugin', () => {
  test('vite.config.ts registers it (the production build and the dev server pre-bundling)', async ({ assert }) => {
    const { default: config } = await import('../../vite.config.js')
    const names = (config.plugins ?? []).flat(3).map((plugin: any) => plugin?.name)
    assert.include(names, 'aula:excalidraw-worker-patience')
  })
})
