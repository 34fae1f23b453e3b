import { cpus, homedir, networkInterfaces } from 'node:os'
import { existsSync } from 'node:fs'
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
  /**
   * One-port mode (MEDIA_WEBRTC_PORT): worker i takes all its WebRTC traffic on UDP and TCP port
   * MEDIA_WEBRTC_PORT + i (mediasoup WebRtcServer). Null: each transport gets its own port from the range.
   */
  webRtcPort: number | null
  testMethods: boolean
  loadReportMs: number
  /** Local folder where recordings are written before they are moved to storage (MEDIA_RECORDING_SPOOL). */
  recordingSpool: string
}

export const MEDIASOUP_VERSION = '3.12.16'

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number) {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw)
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`${name} must be an integer in ${min}..${max}, got "${raw}"`)
  return value
}

/** MEDIA_ANNOUNCED_IP=auto picks this host's first non-internal IPv4 address. */
export function resolveAnnouncedIp(value: string | undefined) {
  if (!value) return undefined
  if (value !== 'auto') return value
  for (const addresses of Object.values(networkInterfaces())) {
    for (const address of addresses ?? []) if (address.family === 'IPv4' && !address.internal) return address.address
  }
  throw new Error('MEDIA_ANNOUNCED_IP=auto found no non-internal IPv4 address')
}

/** Sidecar settings from plain environment variables (the sidecar does not boot the web app). */
export function sidecarConfigFromEnv(env: NodeJS.ProcessEnv = process.env): SidecarConfig {
  const config: SidecarConfig = {
    host: env.MEDIA_RPC_HOST || '127.0.0.1',
    port: integer(env, 'MEDIA_RPC_PORT', 4443, 1, 65535),
    secret: mediaRpcSecret(env),
    workers: integer(env, 'MEDIA_WORKERS', cpus().length || 1, 1, 256),
    listenIp: env.MEDIA_LISTEN_IP || '127.0.0.1',
    announcedIp: resolveAnnouncedIp(env.MEDIA_ANNOUNCED_IP),
    rtcMinPort: integer(env, 'MEDIA_RTC_MIN_PORT', 40000, 1024, 65535),
    rtcMaxPort: integer(env, 'MEDIA_RTC_MAX_PORT', 40999, 1024, 65535),
    webRtcPort: env.MEDIA_WEBRTC_PORT ? integer(env, 'MEDIA_WEBRTC_PORT', 0, 1, 65535) : null,
    testMethods: env.MEDIA_RPC_TEST_METHODS === '1',
    loadReportMs: integer(env, 'MEDIA_LOAD_REPORT_MS', 2000, 50, 600_000),
    recordingSpool: env.MEDIA_RECORDING_SPOOL || join(process.cwd(), 'tmp', 'recording-spool'),
  }
  if (config.rtcMinPort > config.rtcMaxPort) throw new Error('MEDIA_RTC_MIN_PORT must not exceed MEDIA_RTC_MAX_PORT')
  if (config.webRtcPort !== null) {
    const last = config.webRtcPort + config.workers - 1
    if (last > 65535) throw new Error(`MEDIA_WEBRTC_PORT=${config.webRtcPort} leaves no port for worker ${config.workers}`)
    if (config.webRtcPort <= config.rtcMaxPort && last >= config.rtcMinPort) {
      throw new Error(
        `MEDIA_WEBRTC_PORT ${config.webRtcPort}..${last} (one per worker) overlaps MEDIA_RTC_MIN_PORT..MEDIA_RTC_MAX_PORT ${config.rtcMinPort}..${config.rtcMaxPort}`
      )
    }
  }
  if (['0.0.0.0', '::'].includes(config.listenIp) && !config.announcedIp) {
    throw new Error(`MEDIA_LISTEN_IP=${config.listenIp} needs MEDIA_ANNOUNCED_IP (the address browsers can reach, or "auto")`)
  }
  return config
}

/** Loads .env (and .env.test under NODE_ENV=test) like the web process; variables already set win. */
export function loadEnvFiles(cwd = process.cwd(), env: NodeJS.ProcessEnv = process.env) {
  const files = env.NODE_ENV === 'test' ? ['.env.test', '.env'] : ['.env']
  for (const file of files) if (existsSync(join(cwd, file))) process.loadEnvFile(join(cwd, file))
}

/**
 * Points mediasoup at the worker built by bin/setup/mediasoup_worker.sh when MEDIASOUP_WORKER_BIN
 * is unset. Must run before mediasoup is imported (it reads the variable at load time).
 */
export function ensureWorkerBinary(env: NodeJS.ProcessEnv = process.env) {
  if (env.MEDIASOUP_WORKER_BIN) {
    if (!existsSync(env.MEDIASOUP_WORKER_BIN)) throw new Error(`MEDIASOUP_WORKER_BIN=${env.MEDIASOUP_WORKER_BIN} does not exist`)
    return
  }
  // The script's build with libsrtp on OpenSSL first, then its fallback on Debian's libsrtp2.
  const cacheRoot = env.AULA_CACHE_DIR || join(homedir(), '.cache', 'aula')
  const cached = [`mediasoup-worker-${MEDIASOUP_VERSION}-srtp-openssl`, `mediasoup-worker-${MEDIASOUP_VERSION}`]
    .map((dir) => join(cacheRoot, dir, 'mediasoup-worker'))
    .find((bin) => existsSync(bin))
  if (cached) env.MEDIASOUP_WORKER_BIN = cached
}
