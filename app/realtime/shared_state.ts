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
  hlen(key: string): Promise<number>
  /** Increments a counter that expires ttlMs after its first increment. */
  incr(key: string, ttlMs: number): Promise<number>
  /** Removes every key starting with the prefix (used when a class ends). */
  clearPrefix(prefix: string): Promise<void>
  /**
   * Atomically merges versioned entries into the hash `key` (versions kept in `key#v`):
   * an entry replaces the stored one when its version is higher, or equal with a lower
   * nonce (Excalidraw's rule). Returns the ids that won and the stored values that beat
   * the others. `del(key)` removes both hashes.
   */
  mergeVersioned(key: string, entries: VersionedEntry[]): Promise<VersionedMergeResult>
  namespaced(prefix: string): SharedState
}

export interface VersionedEntry {
  id: string
  version: number
  nonce: number
  value: string
}

export interface VersionedMergeResult {
  won: string[]
  /** For entries that lost: the stored value that beat them. */
  lost: string[]
}

const versionsKey = (key: string) => `${key}#v`

/** Excalidraw's rule: the higher version wins; on a tie, the lower nonce. */
export function versionWins(incoming: { version: number; nonce: number }, stored: { version: number; nonce: number } | null) {
  if (!stored) return true
  return incoming.version > stored.version || (incoming.version === stored.version && incoming.nonce < stored.nonce)
}

/* KEYS[1] values hash, KEYS[2] versions hash; ARGV quadruples (id, version, nonce, value). */
const MERGE_SCRIPT = `
local won, lost = {}, {}
for i = 1, #ARGV, 4 do
  local id, v, n = ARGV[i], tonumber(ARGV[i + 1]), tonumber(ARGV[i + 2])
  local cur = redis.call('HGET', KEYS[2], id)
  local wins = true
  if cur then
    local sep = string.find(cur, ':', 1, true)
    local cv, cn = tonumber(string.sub(cur, 1, sep - 1)), tonumber(string.sub(cur, sep + 1))
    wins = v > cv or (v == cv and n < cn)
  end
  if wins then
    redis.call('HSET', KEYS[2], id, ARGV[i + 1] .. ':' .. ARGV[i + 2])
    redis.call('HSET', KEYS[1], id, ARGV[i + 3])
    won[#won + 1] = id
  else
    lost[#lost + 1] = redis.call('HGET', KEYS[1], id)
  end
end
return { won, lost }
`

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
    this.#hashes.delete(this.#k(versionsKey(key)))
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

  async hlen(key: string) {
    return this.#hashes.get(this.#k(key))?.size ?? 0
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

  async mergeVersioned(key: string, entries: VersionedEntry[]): Promise<VersionedMergeResult> {
    const values = this.#hashes.get(this.#k(key)) ?? new Map<string, string>()
    const versions = this.#hashes.get(this.#k(versionsKey(key))) ?? new Map<string, string>()
    const won: string[] = []
    const lost: string[] = []
    for (const entry of entries) {
      const stored = versions.get(entry.id)
      const [version, nonce] = stored ? stored.split(':').map(Number) : [0, 0]
      if (versionWins(entry, stored ? { version, nonce } : null)) {
        versions.set(entry.id, `${entry.version}:${entry.nonce}`)
        values.set(entry.id, entry.value)
        won.push(entry.id)
      } else {
        lost.push(values.get(entry.id)!)
      }
    }
    this.#hashes.set(this.#k(key), values)
    this.#hashes.set(this.#k(versionsKey(key)), versions)
    return { won, lost }
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
    await this.redis.del(this.#k(key), this.#k(versionsKey(key)))
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

  hlen(key: string) {
    return this.redis.hlen(this.#k(key))
  }

  async incr(key: string, ttlMs: number) {
    const [[, count]] = (await this.redis
      .multi()
      .incr(this.#k(key))
      .pexpire(this.#k(key), ttlMs, 'NX')
      .exec()) as [[null, number], unknown]
    return count
  }

  async mergeVersioned(key: string, entries: VersionedEntry[]): Promise<VersionedMergeResult> {
    if (!entries.length) return { won: [], lost: [] }
    const args = entries.flatMap((e) => [e.id, String(e.version), String(e.nonce), e.value])
    const [won, lost] = (await this.redis.eval(MERGE_SCRIPT, 2, this.#k(key), this.#k(versionsKey(key)), ...args)) as [
      string[],
      string[],
    ]
    return { won, lost }
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
  hlen = (key: string) => this.inner.hlen(this.prefix + key)
  incr = (key: string, ttlMs: number) => this.inner.incr(this.prefix + key, ttlMs)
  clearPrefix = (prefix: string) => this.inner.clearPrefix(this.prefix + prefix)
  mergeVersioned = (key: string, entries: VersionedEntry[]) => this.inner.mergeVersioned(this.prefix + key, entries)
  namespaced = (prefix: string): SharedState => new NamespacedState(this.inner, this.prefix + prefix)
}
