import { Redis } from 'ioredis'

/** Opens an ioredis connection to REDIS_URL; callers close what they open. */
export function openRedis(url: string, name: string) {
  return new Redis(url, { connectionName: `aula:${name}`, maxRetriesPerRequest: 3, lazyConnect: false })
}
