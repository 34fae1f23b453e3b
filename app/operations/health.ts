import db from '@adonisjs/lucid/services/db'
import app from '@adonisjs/core/services/app'

export interface CheckResult {
  ok: boolean
  ms: number
  error?: string
}

export interface Readiness {
  ready: boolean
  checks: {
    database: CheckResult
    /** null: no REDIS_URL (embedded default, one process). */
    redis: CheckResult | null
    sidecars: { url: string; ok: boolean }[]
  }
}

const CHECK_TIMEOUT_MS = 1500

async function timed(check: () => Promise<{ ok: boolean; error?: string } | void>): Promise<CheckResult> {
  const started = performance.now()
  let timer: NodeJS.Timeout | undefined
  try {
    const outcome = await Promise.race([
      check(),
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS))),
    ])
    return { ok: outcome?.ok ?? true, ms: Math.round(performance.now() - started), ...(outcome?.error ? { error: outcome.error } : {}) }
  } catch (error) {
    return { ok: false, ms: Math.round(performance.now() - started), error: (error as Error).message }
  } finally {
    clearTimeout(timer)
  }
}

/**
 * Readiness of this web process: the database answers, Redis (when configured) is connected and
 * answers, and at least one media sidecar is connected. Every sidecar is listed with its state, so
 * one stopped sidecar of several shows up here (its rooms have moved to the others) without taking
 * the web process out of service.
 */
export async function readiness(): Promise<Readiness> {
  const realtime = await app.container.make('realtime')
  const media = await app.container.make('media')
  const [database, redis] = await Promise.all([
    timed(async () => {
      await db.rawQuery('select 1')
    }),
    realtime.usesRedis ? timed(async () => (await realtime.redisHealth(CHECK_TIMEOUT_MS))!) : Promise.resolve(null),
  ])
  const sidecars = media.clients.map((client) => ({ url: client.url, ok: client.ready }))
  const ready = database.ok && (redis?.ok ?? true) && sidecars.some((s) => s.ok)
  return { ready, checks: { database, redis, sidecars } }
}
