/*
| Environment variables. Everything has an embedded default except APP_KEY,
| which `bin/aula start` generates into .env on first run.
*/
import { Env } from '@adonisjs/core/env'

export default await Env.create(new URL('../', import.meta.url), {
  NODE_ENV: Env.schema.enum(['development', 'production', 'test'] as const),
  PORT: Env.schema.number(),
  HOST: Env.schema.string({ format: 'host' }),
  APP_KEY: Env.schema.string(),
  APP_URL: Env.schema.string.optional(),
  TRUSTED_PROXIES: Env.schema.string.optional(),
  ALLOWED_ORIGINS: Env.schema.string.optional(),
  LOG_LEVEL: Env.schema.enum.optional(['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const),

  /* Database: SQLite file by default, PostgreSQL in production */
  DB_CONNECTION: Env.schema.enum.optional(['sqlite', 'pg'] as const),
  SQLITE_PATH: Env.schema.string.optional(),
  DATABASE_URL: Env.schema.string.optional(),

  /* Redis: when set, socket.io uses the Redis adapter and realtime state is shared */
  REDIS_URL: Env.schema.string.optional(),
  REDIS_PREFIX: Env.schema.string.optional(),
  /* socket.io adapter on Redis: redis (default), redis-sharded (Redis 7 sharded pub/sub), redis-streams */
  REALTIME_ADAPTER: Env.schema.enum.optional(['redis', 'redis-sharded', 'redis-streams'] as const),
  /* socket.io heartbeat (default 5000 + 8000 ms: a vanished client is noticed within 13 s) */
  REALTIME_PING_INTERVAL_MS: Env.schema.number.optional(),
  REALTIME_PING_TIMEOUT_MS: Env.schema.number.optional(),
  AULA_STORAGE_PATH: Env.schema.string.optional(),

  /* Operations: who may read /metrics (CIDR list, default loopback; or any client with
     `Authorization: Bearer METRICS_TOKEN`). The client address is request.ip(), after TRUSTED_PROXIES. */
  METRICS_ALLOWED_NETWORKS: Env.schema.string.optional(),
  METRICS_TOKEN: Env.schema.string.optional(),

  /* Sessions */
  SESSION_DRIVER: Env.schema.enum.optional(['cookie', 'memory'] as const),

  /* SMTP; optional: without it mail waits in the outbox (/admin/mail) until SMTP is configured */
  SMTP_HOST: Env.schema.string.optional(),
  SMTP_PORT: Env.schema.number.optional(),
  SMTP_USER: Env.schema.string.optional(),
  SMTP_PASSWORD: Env.schema.string.optional(),
  MAIL_FROM: Env.schema.string.optional(),
  MAIL_OUTBOX_POLL_MS: Env.schema.number.optional(),
  MAIL_RETRY_BASE_MS: Env.schema.number.optional(),

  /* Media sidecar (mediasoup). MEDIA_SIDECARS is a comma-separated list of sidecar RPC URLs. */
  MEDIA_SIDECARS: Env.schema.string.optional(),
  MEDIA_RPC_SECRET: Env.schema.string.optional(),
  MEDIA_RPC_HOST: Env.schema.string.optional(),
  MEDIA_RPC_PORT: Env.schema.number.optional(),
  MEDIA_WORKERS: Env.schema.number.optional(),
  MEDIA_LISTEN_IP: Env.schema.string.optional(),
  MEDIA_ANNOUNCED_IP: Env.schema.string.optional(),
  MEDIA_RTC_MIN_PORT: Env.schema.number.optional(),
  MEDIA_RTC_MAX_PORT: Env.schema.number.optional(),
  MEDIASOUP_WORKER_BIN: Env.schema.string.optional(),

  /* TURN (coturn REST scheme): comma-separated turn:/turns: URLs, coturn's static-auth-secret, credential lifetime. */
  TURN_URLS: Env.schema.string.optional(),
  TURN_SECRET: Env.schema.string.optional(),
  TURN_TTL_SECONDS: Env.schema.number.optional(),
  /* With TURN: browsers use only relayed candidates (iceTransportPolicy 'relay'). */
  TURN_RELAY_ONLY: Env.schema.boolean.optional(),
})
