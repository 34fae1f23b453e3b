import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

export default class MediaServe extends BaseCommand {
  static commandName = 'media:serve'
  static description = 'Run a media sidecar (mediasoup workers behind the internal RPC)'
  static options: CommandOptions = { startApp: false, staysAlive: true }

  @flags.string({ description: 'RPC listen host (MEDIA_RPC_HOST)' })
  declare host?: string

  @flags.number({ description: 'RPC listen port (MEDIA_RPC_PORT)' })
  declare port?: number

  @flags.number({ description: 'mediasoup workers (MEDIA_WORKERS, default: one per core)' })
  declare workers?: number

  async run() {
    const { ensureWorkerBinary, sidecarConfigFromEnv } = await import('#app/media/sidecar/config')
    ensureWorkerBinary()
    const { startSidecar } = await import('#app/media/sidecar/sidecar')
    const config = sidecarConfigFromEnv()
    const sidecar = await startSidecar(
      {
        ...config,
        host: this.host ?? config.host,
        port: this.port ?? config.port,
        workers: this.workers ?? config.workers,
      },
      (message) => this.logger.info(message)
    )
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => sidecar.stop().then(() => process.exit(0)))
  }
}
