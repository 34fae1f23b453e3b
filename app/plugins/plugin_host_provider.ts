import type { ApplicationService } from '@adonisjs/core/types'
import { discoverPlugins, sortByDependencies } from '#app/plugins/discovery'
import { PluginRegistry } from '#app/plugins/plugin_registry'
import { PluginSettingsService } from '#app/plugins/plugin_settings_service'
import { createPluginHost } from '#app/plugins/host_api'

export interface PluginsService {
  registry: PluginRegistry
  settings: PluginSettingsService
}

declare module '@adonisjs/core/types' {
  interface ContainerBindings {
    plugins: PluginsService
  }
}

/** Discovers plugins/<id>/plugin.ts at boot and runs each plugin's setup in dependency order. */
export default class PluginHostProvider {
  constructor(protected app: ApplicationService) {}

  register() {
    this.app.container.singleton('plugins', async () => {
      const definitions = sortByDependencies(await discoverPlugins(this.app.appRoot))
      const registry = new PluginRegistry(definitions)
      return { registry, settings: new PluginSettingsService(registry) }
    })
  }

  async start() {
    const plugins = await this.app.container.make('plugins')
    const realtime = await this.app.container.make('realtime')
    const emitter = await this.app.container.make('emitter')
    const logger = await this.app.container.make('logger')
    const router = await this.app.container.make('router')
    const { middleware } = await import('#start/kernel')

    realtime.gateway.setPluginEnabledCheck((schoolId, pluginId) => plugins.settings.isEnabled(schoolId, pluginId))

    for (const plugin of plugins.registry.all()) {
      const id = plugin.definition.manifest.id
      const host = createPluginHost(id, {
        realtime,
        settings: plugins.settings,
        emitter,
        logger,
        media: () => this.app.container.make('media'),
        mailOutbox: () => this.app.container.make('mail.outbox'),
        // Terminating hooks run before the providers (Lucid among them) shut down.
        onShutdown: (listener) => this.app.terminating(listener),
        defineRoutes: (pluginId, callback) => {
          router
            .group(() => callback(router))
            .prefix(`/plugins/${pluginId}`)
            .use([middleware.auth(), middleware.pluginEnabled({ pluginId })])
        },
      })
      await plugin.definition.setup?.(host as any)
    }
  }
}
