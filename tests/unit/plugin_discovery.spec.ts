import { test } from '@japa/runner'
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { discoverPlugins, pluginMigrationPaths, sortByDependencies, PluginLoadError } from '#app/plugins/discovery'
import { definePlugin } from '#app/plugins/define_plugin'

const manifest = (id: string, dependencies: string[] = []) =>
  definePlugin({ manifest: { id, name: id, description: '', version: '1.0.0', dependencies, settings: {}, permissions: [] } })

async function fakeApp(plugins: Record<string, string>) {
  const root = await mkdtemp(join(tmpdir(), 'aula-plugins-'))
  await writeFile(join(root, 'package.json'), '{"type":"module"}')
  for (const [id, source] of Object.entries(plugins)) {
    await mkdir(join(root, 'plugins', id, 'database', 'migrations'), { recursive: true })
    await writeFile(join(root, 'plugins', id, 'plugin.js'), source)
  }
  return pathToFileURL(root + '/')
}

test.group('Plugin discovery', () => {
  test('finds every plugins/<id>/plugin file and its migrations', async ({ assert }) => {
    const source = (id: string) =>
      `export default { manifest: { id: '${id}', name: '${id}', description: '', version: '1', settings: {}, permissions: [] } }`
    const root = await fakeApp({ alpha: source('alpha'), beta: source('beta') })
    const found = await discoverPlugins(root)
    assert.deepEqual(found.map((p) => p.manifest.id), ['alpha', 'beta'])
    assert.deepEqual(pluginMigrationPaths(root), ['plugins/alpha/database/migrations', 'plugins/beta/database/migrations'])
  })

  test('refuses a plugin whose manifest id differs from its folder', async ({ assert }) => {
    const root = await fakeApp({
      alpha: `export default { manifest: { id: 'other', name: 'x', description: '', version: '1', settings: {}, permissions: [] } }`,
    })
    await assert.rejects(() => discoverPlugins(root), /must equal its folder name/)
  })

  test('discovers the real plugins of this repository', async ({ assert }) => {
    const found = await discoverPlugins(new URL('../../', import.meta.url))
    assert.include(found.map((p) => p.manifest.id), 'chat')
  })
})

test.group('Plugin dependency order', () => {
  test('puts dependencies first', ({ assert }) => {
    const sorted = sortByDependencies([manifest('quizzes', ['chat', 'engagement']), manifest('engagement', ['chat']), manifest('chat')])
    assert.deepEqual(sorted.map((p) => p.manifest.id), ['chat', 'engagement', 'quizzes'])
  })

  test('fails on a missing dependency', ({ assert }) => {
    assert.throws(() => sortByDependencies([manifest('quizzes', ['chat'])]), 'Plugin "quizzes" depends on missing plugin "chat"')
  })

  test('fails on a cycle', ({ assert }) => {
    const error = (() => {
      try {
        sortByDependencies([manifest('a', ['b']), manifest('b', ['a'])])
      } catch (e) {
        return e as Error
      }
    })()
    assert.instanceOf(error, PluginLoadError)
    assert.match(error!.message, /cycle: a -> b -> a/)
  })
})
