import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { PluginDefinition } from '#app/plugins/define_plugin'

const PLUGIN_ID = /^[a-z][a-z0-9-]{1,40}$/

function pluginsRoot(appRoot: URL) {
  return join(fileURLToPath(appRoot), 'plugins')
}

function pluginFolders(appRoot: URL) {
  const root = pluginsRoot(appRoot)
  if (!existsSync(root)) return []
  return readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && PLUGIN_ID.test(entry.name))
    .map((entry) => entry.name)
    .sort()
}

/** Migration folders of every plugin, relative to the app root (used by config/database.ts). */
export function pluginMigrationPaths(appRoot: URL) {
  const root = pluginsRoot(appRoot)
  return pluginFolders(appRoot)
    .filter((id) => existsSync(join(root, id, 'database', 'migrations')))
    .map((id) => `plugins/${id}/database/migrations`)
}

export class PluginLoadError extends Error {}

/** Imports plugins/<id>/plugin.(js|ts) of every plugin folder. */
export async function discoverPlugins(appRoot: URL): Promise<PluginDefinition[]> {
  const root = pluginsRoot(appRoot)
  const definitions: PluginDefinition[] = []
  for (const id of pluginFolders(appRoot)) {
    const file = ['plugin.js', 'plugin.ts'].map((name) => join(root, id, name)).find(existsSync)
    if (!file) continue
    const module = await import(pathToFileURL(file).href)
    const definition: PluginDefinition | undefined = module.default
    if (!definition?.manifest) throw new PluginLoadError(`plugins/${id}: plugin file has no default definePlugin() export`)
    if (definition.manifest.id !== id) {
      throw new PluginLoadError(`plugins/${id}: manifest id "${definition.manifest.id}" must equal its folder name`)
    }
    definitions.push(definition)
  }
  return definitions
}

/** Orders plugins so that each comes after its dependencies; fails on missing or cyclic dependencies. */
export function sortByDependencies(definitions: PluginDefinition[]): PluginDefinition[] {
  const byId = new Map(definitions.map((d) => [d.manifest.id, d]))
  const sorted: PluginDefinition[] = []
  const state = new Map<string, 'visiting' | 'done'>()

  const visit = (definition: PluginDefinition, path: string[]) => {
    const id = definition.manifest.id
    if (state.get(id) === 'done') return
    if (state.get(id) === 'visiting') {
      throw new PluginLoadError(`Plugin dependency cycle: ${[...path, id].join(' -> ')}`)
    }
    state.set(id, 'visiting')
    for (const dependency of definition.manifest.dependencies ?? []) {
      const target = byId.get(dependency)
      if (!target) throw new PluginLoadError(`Plugin "${id}" depends on missing plugin "${dependency}"`)
      visit(target, [...path, id])
    }
    state.set(id, 'done')
    sorted.push(definition)
  }

  for (const definition of [...definitions].sort((a, b) => a.manifest.id.localeCompare(b.manifest.id))) {
    visit(definition, [])
  }
  return sorted
}
