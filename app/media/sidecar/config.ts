import { cpus } from 'node:os'
import { existsSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { mediaRpcSecret } from '#app/media/secret'

export interface SidecarConfig {
  host: string
  port: number
  secret: string
  workers: number
  listenIp: string
  announcedIp?: string
  rtcMinPort: number
  rtcMaxPort: number
  testMethods: boolean
  loadReportMs: number
}

/** Sidecar settings from the environment (the sidecar does not boot the web app). */
export function sidecarConfigFromEnv(env: NodeJS.ProcessEnv = process.env): SidecarConfig {
  return {
    host: env.MEDIA_RPC_HOST || '127.0.0.1',
    port: Number(env.MEDIA_RPC_PORT || 4443),
    secret: mediaRpcSecret(env),
    workers: Number(env.MEDIA_WORKERS || cpus().length || 1),
    listenIp: env.MEDIA_LISTEN_IP || '127.0.0.1',
    announcedIp: env.MEDIA_ANNOUNCED_IP || undefined,
    rtcMinPort: Number(env.MEDIA_RTC_MIN_PORT || 40000),
    rtcMaxPort: Number(env.MEDIA_RTC_MAX_PORT || 40999),
    testMethods: env.MEDIA_RPC_TEST_METHODS === '1',
    loadReportMs: Number(env.MEDIA_LOAD_REPORT_MS || 2000),
  }
}

/** Points mediasoup at the worker binary built by bin/setup/mediasoup_worker.sh when none is configured. */
export function ensureWorkerBinary(env: NodeJS.ProcessEnv = process.env) {
  if (env.MEDIASOUP_WORKER_BIN) return
  const cached = join(env.AULA_CACHE_DIR || join(homedir(), '.cache', 'aula'), 'mediasoup-worker-3.12.16', 'mediasoup-worker')
  if (existsSync(cached)) env.MEDIASOUP_WORKER_BIN = cached
}
