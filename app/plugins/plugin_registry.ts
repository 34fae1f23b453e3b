import type { PluginDefinition } from '#app/plugins/define_plugin'
import { compileSettingsValidator, defaultSettings } from '#app/plugins/settings_schema'

export interface LoadedPlugin {
  definition: PluginDefinition
  validator: ReturnType<typeof compileSettingsValidator>
  defaults: Record<string, unknown>
}

/** Plugins discovered at boot, in dependency order. */
export class PluginRegistry {
  #plugins = new Map<string, LoadedPlugin>()

  constructor(definitions: PluginDefinition[] = []) {
    for (const definition of definitions) this.add(definition)
  }

  add(definition: PluginDefinition) {
    this.#plugins.set(definition.manifest.id, {
      definition,
      validator: compileSettingsValidator(definition.manifest.settings),
      defaults: defaultSettings(definition.manifest.settings),
    })
  }

  get(id: string) {
    return this.#plugins.get(id)
  }

  has(id: string) {
    return this.#plugins.has(id)
  }

  all() {
    return [...this.#plugins.values()]
  }

  ids() {
    return [...this.#plugins.keys()]
  }

  /** Plugins that depend (directly or not) on the given one. */
  dependentsOf(id: string): string[] {
    const result = new Set<string>()
    const walk = (target: string) => {
      for (const plugin of this.all()) {
        const manifest = plugin.definition.manifest
        if (manifest.dependencies?.includes(target) && !result.has(manifest.id)) {
          result.add(manifest.id)
          walk(manifest.id)
        }
      }
    }
    walk(id)
    return [...result]
  }
}
