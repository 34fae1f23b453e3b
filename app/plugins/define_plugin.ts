import type { PluginManifest } from '#app/plugins/manifest'
import type { SettingsSchema } from '#app/plugins/settings_schema'
import type { PluginHost } from '#app/plugins/host_api'

export interface PluginDefinition<S extends SettingsSchema = SettingsSchema> {
  manifest: PluginManifest<S>
  /** Called once at boot, in dependency order, with the plugin's view of the host API. */
  setup?(host: PluginHost<S>): void | Promise<void>
}

export function definePlugin<S extends SettingsSchema>(definition: PluginDefinition<S>) {
  return definition
}
