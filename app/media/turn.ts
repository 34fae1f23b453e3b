import { createHmac } from 'node:crypto'

/** One entry of RTCConfiguration.iceServers, as the browser takes it. */
export interface IceServer {
  urls: string[]
  username: string
  credential: string
}

export interface TurnConfig {
  urls: string[]
  secret: string
  ttlSeconds: number
  /** Browsers send media only through the relay (networks that allow nothing else, or to hide their addresses). */
  relayOnly: boolean
}

export const DEFAULT_TURN_TTL_SECONDS = 3600

/**
 * TURN settings from TURN_URLS (comma-separated `turn:`/`turns:` URLs), TURN_SECRET (coturn's
 * `static-auth-secret`) and TURN_TTL_SECONDS; null when TURN is not configured.
 */
export function turnConfigFrom(values: {
  urls?: string
  secret?: string
  ttlSeconds?: number | string
  relayOnly?: boolean | string
}): TurnConfig | null {
  const urls = (values.urls ?? '')
    .split(',')
    .map((url) => url.trim())
    .filter(Boolean)
  if (!urls.length) return null
  for (const url of urls) {
    if (!/^turns?:[^\s]+$/.test(url)) throw new Error(`TURN_URLS: "${url}" is not a turn: or turns: URL`)
  }
  if (!values.secret) throw new Error('TURN_URLS is set but TURN_SECRET is not (the static-auth-secret of the TURN server)')
  const ttlSeconds = values.ttlSeconds === undefined || values.ttlSeconds === '' ? DEFAULT_TURN_TTL_SECONDS : Number(values.ttlSeconds)
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > 7 * 24 * 3600) {
    throw new Error(`TURN_TTL_SECONDS must be an integer in 1..604800, got "${values.ttlSeconds}"`)
  }
  const relayOnly = values.relayOnly === true || values.relayOnly === 'true' || values.relayOnly === '1'
  return { urls, secret: values.secret, ttlSeconds, relayOnly }
}

/**
 * Short-lived credentials in coturn's shared-secret REST scheme (`use-auth-secret`):
 * username `<unix expiry>:<userId>`, credential base64(HMAC-SHA1(secret, username)).
 * The TURN server recomputes the HMAC and refuses the username once its expiry has passed.
 */
export function turnCredentials(config: TurnConfig, userId: number | string, nowMs = Date.now()) {
  const expiresAt = Math.floor(nowMs / 1000) + config.ttlSeconds
  const username = `${expiresAt}:${userId}`
  const credential = createHmac('sha1', config.secret).update(username).digest('base64')
  return { username, credential, expiresAt }
}

export type IceTransportPolicy = 'all' | 'relay'

/** The iceServers handed to one browser (empty without TURN: host candidates of the sidecar only). */
export function iceServersFor(config: TurnConfig | null, userId: number | string, nowMs = Date.now()) {
  if (!config) return { iceServers: [] as IceServer[], expiresAt: null as number | null, iceTransportPolicy: 'all' as IceTransportPolicy }
  const { username, credential, expiresAt } = turnCredentials(config, userId, nowMs)
  const iceTransportPolicy: IceTransportPolicy = config.relayOnly ? 'relay' : 'all'
  return { iceServers: [{ urls: config.urls, username, credential }], expiresAt, iceTransportPolicy }
}

let cached: { key: string; config: TurnConfig | null } | null = null

/**
 * TURN settings of this process from TURN_URLS / TURN_SECRET / TURN_TTL_SECONDS / TURN_RELAY_ONLY (start/env.ts documents
 * them; .env files are loaded into process.env at boot). Re-read when the variables change.
 */
export function turnConfigFromEnv(env: NodeJS.ProcessEnv = process.env) {
  const values = { urls: env.TURN_URLS, secret: env.TURN_SECRET, ttlSeconds: env.TURN_TTL_SECONDS, relayOnly: env.TURN_RELAY_ONLY }
  const key = JSON.stringify(values)
  if (cached?.key !== key) cached = { key, config: turnConfigFrom(values) }
  return cached.config
}
