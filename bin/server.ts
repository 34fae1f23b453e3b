import 'reflect-metadata'
import { Ignitor, prettyPrintError } from '@adonisjs/core'
import { createServerWithRealtime } from '#app/realtime/attach'
import { takeCoverageOnSignal } from '#app/core/coverage_on_signal'

takeCoverageOnSignal()

const APP_ROOT = new URL('../', import.meta.url)

/*
| A Redis that is down makes ioredis fail queued commands (MaxRetriesPerRequestError), sometimes as an
| unhandled rejection or a throw from a command's callback. The web process must stay up and report
| itself not ready (/health/ready) until Redis is back, not exit; anything else still ends it.
*/
const isRedisOutage = (error: unknown) =>
  (error as Error | undefined)?.name === 'MaxRetriesPerRequestError' || /ECONNREFUSED|Connection is closed/.test(String((error as Error | undefined)?.message))
process.on('unhandledRejection', (reason) => {
  if (!isRedisOutage(reason)) throw reason
  console.warn(`Redis unavailable: ${(reason as Error).message}`)
})
process.on('uncaughtException', (error) => {
  if (isRedisOutage(error)) return console.warn(`Redis unavailable: ${error.message}`)
  console.error(error)
  process.exit(1)
})
const SHUTDOWN_TIMEOUT_MS = Number(process.env.SHUTDOWN_TIMEOUT_MS) || 20_000
const IMPORTER = (filePath: string) => {
  if (filePath.startsWith('./') || filePath.startsWith('../')) {
    return import(new URL(filePath, APP_ROOT).href)
  }
  return import(filePath)
}

new Ignitor(APP_ROOT, { importer: IMPORTER })
  .tap((app) => {
    app.booting(async () => {
      await import('#start/env')
    })
    // Ctrl-C too: plugins write out what they buffer (see PluginHost.onShutdown).
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      app.listen(signal, () => {
        // A shutdown hook that never settles (a client connection the HTTP server waits for) must not
        // keep the process alive until the orchestrator's SIGKILL: say so and exit non-zero.
        setTimeout(() => {
          console.error(`Shutdown did not finish within ${SHUTDOWN_TIMEOUT_MS} ms; exiting`)
          process.exit(1)
        }, SHUTDOWN_TIMEOUT_MS).unref()
        return app.terminate()
      })
    }
  })
  .httpServer()
  .start(createServerWithRealtime)
  .catch((error) => {
    process.exitCode = 1
    prettyPrintError(error)
  })
