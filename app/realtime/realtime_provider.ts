import type { ApplicationService } from '@adonisjs/core/types'
import env from '#start/env'
import { RealtimeServer } from '#app/realtime/realtime_server'
import { allowedOrigins } from '#app/realtime/origin_check'

declare module '@adonisjs/core/types' {
  interface ContainerBindings {
    realtime: RealtimeServer
  }
}

export default class RealtimeProvider {
  constructor(protected app: ApplicationService) {}

  #instance: RealtimeServer | null = null

  register() {
    // The first terminating hook: clients go before plugins flush and before the HTTP server
    // closes (which would otherwise wait for their WebSockets forever).
    this.app.terminating(() => this.#instance?.disconnectLocalClients())
    this.app.container.singleton('realtime', () => {
      return (this.#instance = new RealtimeServer({
        redisUrl: env.get('REDIS_URL') || undefined,
        redisPrefix: env.get('REDIS_PREFIX', 'aula:'),
        pingIntervalMs: env.get('REALTIME_PING_INTERVAL_MS'),
        pingTimeoutMs: env.get('REALTIME_PING_TIMEOUT_MS'),
        allowedOrigins: allowedOrigins({ ALLOWED_ORIGINS: env.get('ALLOWED_ORIGINS'), APP_URL: env.get('APP_URL') }),
        adapter: env.get('REALTIME_ADAPTER'),
      }))
    })
  }

  async start() {
    const { registerCoreRealtimeHandlers } = await import('#app/classes/realtime_handlers')
    const realtime = await this.app.container.make('realtime')
    registerCoreRealtimeHandlers(realtime)
  }

  async shutdown() {
    await this.#instance?.close()
  }
}
