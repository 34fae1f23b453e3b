import type { ApplicationService } from '@adonisjs/core/types'
import { MediaCluster } from '#app/media/media_cluster'

declare module '@adonisjs/core/types' {
  interface ContainerBindings {
    media: MediaCluster
  }
}

/** Connects web processes to the media sidecars (MEDIA_SIDECARS, default the local one). */
export default class MediaProvider {
  #cluster: MediaCluster | null = null

  constructor(protected app: ApplicationService) {}

  register() {
    this.app.container.singleton('media', async () => {
      const realtime = await this.app.container.make('realtime')
      const { default: config } = await import('#config/media')
      this.#cluster = new MediaCluster(config.sidecars, config.secret, realtime.state.namespaced('media:'), {
        timeoutMs: config.timeoutMs,
      })
      return this.#cluster
    })
  }

  async ready() {
    if (this.app.getEnvironment() !== 'web' && this.app.getEnvironment() !== 'test') return
    const cluster = await this.app.container.make('media')
    cluster.start()
  }

  async shutdown() {
    this.#cluster?.close()
  }
}
