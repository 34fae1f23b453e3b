import type { Redis } from 'ioredis'

/*
| Small key/value + hash state shared by every app process: Redis when
| REDIS_URL is set, process memory otherwise. Used for presence (raised hands),
| rate limits, mutes and other live-class state that must survive a reconnect.
*/
export interface SharedState {
  get(key: string): Promise<string | null>
  set(key: string, value: string, ttlMs?: number): Promise<void>
  del(key: string): Promise<void>
  hget(key: string, field: string): Promise<string | null>
  hset(key: string, field: string, value: string): Promise<void>
  hdel(key: string, field: string): Promise<void>
  hgetall(key: string): Promise<Record<string, string>>
  /** Increments a counter that expires ttlMs after its first increment. */
  incr(key: string, ttlMs: number): Promise<number>
  /** Removes every key starting with the prefix (used when a class ends). */
  clearPrefix(prefix: string): Promise<void>
  namespaced(prefix: string): SharedState
}

export class MemorySharedState implements SharedState {
  #values = new Map<string, { value: string; expiresAt: number | null }>()
  #hashes = new Map<string, Map<string, string>>()

  constructor(private prefix = '') {}

  #k(key: string) {
    return this.prefix + key
  }

  async get(key: string) {
    const entry = this.#values.get(this.#k(key))
    if (!entry) return null
    if (entry.expiresAt !== null && entry.expiresAt <= Date.now()) {
      this.#values.delete(this.#k(key))
      return null
    }
    return entry.value
  }

  async set(key: string, value: string, ttlMs?: number) {
    this.#values.set(this.#k(key), { value, expiresAt: ttlMs ? Date.now() + ttlMs : null })
  }

  async del(key: string) {
    this.#values.delete(this.#k(key))
    this.#hashes.delete(this.#k(key))
  }

  async hget(key: string, field: string) {
    return this.#hashes.get(this.#k(key))?.get(field) ?? null
  }

  async hset(key: string, field: string, value: string) {
    const hash = this.#hashes.get(this.#k(key)) ?? new Map()
    hash.set(field, value)
    this.#hashes.set(this.#k(key), hash)
  }

  async hdel(key: string, field: string) {
    this.#hashes.get(this.#k(key))?.delete(field)
  }

  async hgetall(key: string) {
    return Object.fromEntries(this.#hashes.get(this.#k(key)) ?? [])
  }

  async incr(key: string, ttlMs: number) {
    const current = await this.get(key)
    const entry = this.#values.get(this.#k(key))
    const next = (current ? Number(current) : 0) + 1
    this.#values.set(this.#k(key), {
      value: String(next),
      expiresAt: current && entry ? entry.expiresAt : Date.now() + ttlMs,
    })
    return next
  }

  async clearPrefix(prefix: string) {
    const full = this.#k(prefix)
    for (const map of [this.#values, this.#hashes]) {
      for (const key of map.keys()) if (key.startsWith(full)) map.delete(key)
    }
  }

  namespaced(prefix: string): SharedState {
    return new NamespacedState(this, prefix)
  }
}

export class RedisSharedState implements SharedState {
  constructor(
    private redis: Redis,
    private prefix: string
  ) {}

  #k(key: string) {
    return this.prefix + key
  }

  get(key: string) {
    return this.redis.get(this.#k(key))
  }

  async set(key: string, value: string, ttlMs?: number) {
    if (ttlMs) await this.redis.set(this.#k(key), value, 'PX', ttlMs)
    else await this.redis.set(this.#k(key), value)
  }

  async del(key: string) {
    await this.redis.del(this.#k(key))
  }

  hget(key: string, field: string) {
    return this.redis.hget(this.#k(key), field)
  }

  async hset(key: string, field: string, value: string) {
    await this.redis.hset(this.#k(key), field, value)
  }

  async hdel(key: string, field: string) {
    await this.redis.hdel(this.#k(key), field)
  }

  hgetall(key: string) {
    return this.redis.hgetall(this.#k(key))
  }

  async incr(key: string, ttlMs: number) {
    const [[, count]] = (await this.redis
      .multi()
      .incr(this.#k(key))
      .pexpire(this.#k(key), ttlMs, 'NX')
      .exec()) as [[null, number], unknown]
    return count
  }

  async clearPrefix(prefix: string) {
    let cursor = '0'
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${this.#k(prefix)}*`, 'COUNT', 500)
      if (keys.length) await this.redis.del(...keys)
      cursor = next
    } while (cursor !== '0')
  }

  namespaced(prefix: string): SharedState {
    return new NamespacedState(this, prefix)
  }
}

class NamespacedState implements SharedState {
  constructor(
    private inner: SharedState,
    private prefix: string
  ) {}
  get = (key: string) => this.inner.get(this.prefix + key)
  set = (key: string, value: string, ttlMs?: number) => this.inner.set(this.prefix + key, value, ttlMs)
  del = (key: string) => this.inner.del(this.prefix + key)
  hget = (key: string, field: string) => this.inner.hget(this.prefix + key, field)
  hset = (key: string, field: string, value: string) => this.inner.hset(this.prefix + key, field, value)
  hdel = (key: string, field: string) => this.inner.hdel(this.prefix + key, field)
  hgetall = (key: string) => this.inner.hgetall(this.prefix + key)
  incr = (key: string, ttlMs: number) => this.inner.incr(this.prefix + key, ttlMs)
  clearPrefix = (prefix: string) => this.inner.clearPrefix(this.prefix + prefix)
  namespaced = (prefix: string): SharedState => new NamespacedState(this.inner, this.prefix + prefix)
}
