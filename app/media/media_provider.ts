import type { ApplicationService } from '@adonisjs/core/types'
import env from '#start/env'
import { MediaCluster } from '#app/media/media_cluster'
import { mediaRpcSecret } from '#app/media/secret'

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
      const urls = (env.get('MEDIA_SIDECARS') || 'tcp://127.0.0.1:4443').split(',').map((u) => u.trim()).filter(Boolean)
      this.#cluster = new MediaCluster(urls, mediaRpcSecret(process.env), realtime.state.namespaced('media:'))
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
