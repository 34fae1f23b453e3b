import type { ApplicationService } from '@adonisjs/core/types'
import type { AulaMetrics } from '#app/operations/metrics'
import type { MetricsAccess } from '#app/operations/metrics_access'
import type { MediaCluster } from '#app/media/media_cluster'

declare module '@adonisjs/core/types' {
  interface ContainerBindings {
    metrics: AulaMetrics
    'metrics.access': MetricsAccess
  }
}

/** Health checks and Prometheus metrics (/health, /health/ready, /metrics). */
export default class OperationsProvider {
  #media: MediaCluster | null = null

  constructor(protected app: ApplicationService) {}

  register() {
    this.app.container.singleton('metrics', async () => {
      const { AulaMetrics } = await import('#app/operations/metrics')
      const realtime = await this.app.container.make('realtime')
      return new AulaMetrics(realtime, () => this.#media)
    })
    this.app.container.singleton('metrics.access', async () => {
      const { default: env } = await import('#start/env')
      const { MetricsAccess, DEFAULT_METRICS_NETWORKS, parseNetworkList } = await import('#app/operations/metrics_access')
      return new MetricsAccess({
        allowedNetworks: parseNetworkList(env.get('METRICS_ALLOWED_NETWORKS'), DEFAULT_METRICS_NETWORKS),
        token: env.get('METRICS_TOKEN') || null,
      })
    })
  }

  async start() {
    if (this.app.getEnvironment() !== 'web' && this.app.getEnvironment() !== 'test') return
    // From boot on, so that counters cover the whole life of the process; a bad network list fails the boot.
    await this.app.container.make('metrics')
    await this.app.container.make('metrics.access')
  }

  async ready() {
    if (this.app.getEnvironment() !== 'web' && this.app.getEnvironment() !== 'test') return
    this.#media = await this.app.container.make('media')
  }
}
