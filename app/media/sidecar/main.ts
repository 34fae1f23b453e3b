/*
| Plain Node entry of the media sidecar (used by bin/run_embedded.sh, tests and
| production process managers). `node ace media:serve` runs the same code.
*/
import { existsSync } from 'node:fs'
import { ensureWorkerBinary, sidecarConfigFromEnv } from '#app/media/sidecar/config'

/* Same .env files as the web process (existing environment variables win). */
const envFiles = process.env.NODE_ENV === 'test' ? ['.env.test', '.env'] : ['.env']
for (const file of envFiles) if (existsSync(file)) process.loadEnvFile(file)
ensureWorkerBinary()
const { startSidecar } = await import('#app/media/sidecar/sidecar')
const sidecar = await startSidecar(sidecarConfigFromEnv())

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, async () => {
    await sidecar.stop()
    process.exit(0)
  })
}
