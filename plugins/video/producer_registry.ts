import type { SharedState } from '#app/plugins/api'
import type { ProducerView } from './events.js'

/** Who owns which producer in a media room, shared by all app processes. */
export class ProducerRegistry {
  constructor(private state: SharedState) {}

  #key(roomKey: string) {
    return `producers:${roomKey}`
  }

  async add(roomKey: string, view: ProducerView & { socketId: string }) {
    await this.state.hset(this.#key(roomKey), view.producerId, JSON.stringify(view))
  }

  async get(roomKey: string, producerId: string): Promise<(ProducerView & { socketId: string }) | null> {
    const raw = await this.state.hget(this.#key(roomKey), producerId)
    return raw ? JSON.parse(raw) : null
  }

  async all(roomKey: string): Promise<(ProducerView & { socketId: string })[]> {
    return Object.values(await this.state.hgetall(this.#key(roomKey))).map((raw) => JSON.parse(raw))
  }

  async setPaused(roomKey: string, producerId: string, paused: boolean) {
    const view = await this.get(roomKey, producerId)
    if (view) await this.add(roomKey, { ...view, paused })
    return view
  }

  async remove(roomKey: string, producerId: string) {
    const view = await this.get(roomKey, producerId)
    await this.state.hdel(this.#key(roomKey), producerId)
    return view
  }

  async clear(roomKey: string) {
    await this.state.del(this.#key(roomKey))
  }
}
