import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

export default class MediaServe extends BaseCommand {
  static commandName = 'media:serve'
  static description = 'Run a media sidecar (mediasoup workers behind the internal RPC); needs no database'
  static options: CommandOptions = { startApp: false, staysAlive: true }

  @flags.string({ description: 'RPC listen host (MEDIA_RPC_HOST, default 127.0.0.1)' })
  declare host?: string

  @flags.number({ description: 'RPC listen port (MEDIA_RPC_PORT, default 4443)' })
  declare port?: number

  @flags.string({ description: 'Shared RPC secret (MEDIA_RPC_SECRET; prefer the env var, flags show in ps)' })
  declare secret?: string

  @flags.number({ description: 'mediasoup workers (MEDIA_WORKERS, default: one per core)' })
  declare workers?: number

  async run() {
    const { runSidecar } = await import('#app/media/sidecar/run')
    try {
      await runSidecar({ host: this.host, port: this.port, secret: this.secret, workers: this.workers }, (message) =>
        this.logger.info(message)
      )
    } catch (error) {
      this.logger.error(`media sidecar failed to start: ${(error as Error).message}`)
      this.exitCode = 1
      process.exitCode = 1
      await this.terminate()
    }
  }
}
