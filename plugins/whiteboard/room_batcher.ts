/*
| Collects volatile, high-rate messages per room of a class and hands them over in one batch
| per room every `everyMs`, so N senders cost receivers one message per window instead of N.
| Each process batches what its own sockets sent; batches are emitted to the whole room.
*/
export class RoomBatcher<T> {
  #pending = new Map<string, { sessionId: number; room: string; items: T[] }>()
  #timer: NodeJS.Timeout

  constructor(
    everyMs: number,
    private flushRoomItems: (sessionId: number, room: string, items: T[]) => void | Promise<void>
  ) {
    this.#timer = setInterval(() => void this.flush(), everyMs)
    this.#timer.unref()
  }

  add(sessionId: number, room: string, item: T) {
    const key = `${sessionId}|${room}`
    const batch = this.#pending.get(key)
    if (batch) batch.items.push(item)
    else this.#pending.set(key, { sessionId, room, items: [item] })
  }

  /** Hands one room's pending items over now (e.g. before a message that must follow them). */
  async flushRoom(sessionId: number, room: string) {
    const key = `${sessionId}|${room}`
    const batch = this.#pending.get(key)
    if (!batch) return
    this.#pending.delete(key)
    await this.flushRoomItems(sessionId, room, batch.items)
  }

  async flush() {
    const batches = [...this.#pending.values()]
    this.#pending.clear()
    for (const { sessionId, room, items } of batches) await this.flushRoomItems(sessionId, room, items)
  }

  stop() {
    clearInterval(this.#timer)
  }
}
