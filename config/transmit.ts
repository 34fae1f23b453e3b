import env from '#start/env'
import { defineConfig } from '@adonisjs/transmit'
import { redis } from '@adonisjs/transmit/transports'

/* Server-sent notifications outside the classroom; fanned out over Redis when configured. */
const redisUrl = env.get('REDIS_URL')

export default defineConfig({
  pingInterval: '30s',
  transport: redisUrl
    ? { driver: redis(redisUrlToOptions(redisUrl)), channel: `${env.get('REDIS_PREFIX', 'aula:')}transmit` }
    : null,
})

function redisUrlToOptions(url: string) {
  const parsed = new URL(url)
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 6379),
    password: parsed.password || undefined,
    db: parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : undefined,
  }
}
