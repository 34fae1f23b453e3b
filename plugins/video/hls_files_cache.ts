import type { PluginHost } from '#app/plugins/api'

type PluginMedia = Awaited<ReturnType<PluginHost['media']>>

/** Media segments never change once written; a playlist is rewritten every second. */
const SEGMENT_TTL_MS = 15_000
const PLAYLIST_TTL_MS = 300
const MAX_ENTRIES = 400

interface Entry {
  at: number
  file: Promise<{ body: Buffer; contentType: string } | null>
}

/**
 * The files of the live HLS streams this web process serves, fetched from the class's sidecar over the
 * RPC (`hls.read`; the sidecar may be on another host). However many viewers ask for the same segment,
 * the sidecar is asked once (concurrent requests share one call) and the answer is kept briefly.
 */
export class HlsFilesCache {
  #entries = new Map<string, Entry>()

  constructor(private media: () => Promise<PluginMedia>) {}

  get(roomKey: string, file: string) {
    const key = `${roomKey}/${file}`
    const now = Date.now()
    const ttl = file.endsWith('.m3u8') ? PLAYLIST_TTL_MS : SEGMENT_TTL_MS
    const cached = this.#entries.get(key)
    if (cached && now - cached.at < ttl) return cached.file
    const entry: Entry = {
      at: now,
      file: this.media()
        .then((media) => media.call(roomKey, 'hls.read', { roomKey, file }))
        .then(({ base64, contentType }) => ({ body: Buffer.from(base64, 'base64'), contentType }))
        .catch(() => null),
    }
    /* A miss is not kept: the next request asks again (the segment may appear a moment later). */
    void entry.file.then((f) => f === null && this.#entries.get(key) === entry && this.#entries.delete(key))
    this.#entries.set(key, entry)
    if (this.#entries.size > MAX_ENTRIES) {
      for (const [k, e] of this.#entries) if (now - e.at >= SEGMENT_TTL_MS || this.#entries.size > MAX_ENTRIES) this.#entries.delete(k)
    }
    return entry.file
  }
}
