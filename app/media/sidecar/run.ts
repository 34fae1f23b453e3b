import type { SidecarConfig } from '#app/media/sidecar/config'
import { ensureWorkerBinary, loadEnvFiles, sidecarConfigFromEnv } from '#app/media/sidecar/config'

/**
 * Starts a sidecar from the environment (plus overrides) and stops it on SIGINT/SIGTERM.
 * Shared by `node ace media:serve` and app/media/sidecar/main.ts.
 */
export async function runSidecar(overrides: Partial<SidecarConfig> = {}, log: (message: string) => void = console.log) {
  loadEnvFiles()
  ensureWorkerBinary()
  if (overrides.secret) process.env.MEDIA_RPC_SECRET = overrides.secret
  const config = { ...sidecarConfigFromEnv(), ...stripUndefined(overrides) }
  const { startSidecar } = await import('#app/media/sidecar/sidecar')
  const sidecar = await startSidecar(config, log)
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, async () => {
      await sidecar.stop()
      process.exit(0)
    })
  }
  return sidecar
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>
}
