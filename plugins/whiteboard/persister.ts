import type { Logger } from '@adonisjs/core/logger'
import WhiteboardPage from './models/whiteboard_page.js'
import { sqlTimestamp } from './models/sql_now.js'
import type { BoardStore } from './board_store.js'
import type { PageRef } from './scene_store.js'

/**
 * How often buffered scenes and activity rows are written. WHITEBOARD_WRITE_EVERY_MS lengthens
 * it where a test must tell the shutdown flush apart from the periodic one.
 */
export const PERSIST_EVERY_MS = Number(process.env.WHITEBOARD_WRITE_EVERY_MS) || 2000

/*
| Writes scenes from the shared state to whiteboard_pages: pages changed through this
| process every PERSIST_EVERY_MS, and every page of a class when it ends. The shared
| state stays authoritative while the class is live; the rows let a board survive the
| loss of Redis and are what the after-class review reads.
*/
export class ScenePersister {
  #dirty = new Map<string, PageRef>()

  constructor(
    private boards: BoardStore,
    private logger: Logger,
    everyMs = PERSIST_EVERY_MS
  ) {
    setInterval(() => void this.flush(), everyMs).unref()
  }

  markDirty(ref: PageRef) {
    this.#dirty.set(`${ref.sessionId}:${ref.room}:${ref.pageId}`, ref)
  }

  async flush() {
    const refs = [...this.#dirty.values()]
    this.#dirty.clear()
    for (const ref of refs) {
      try {
        const { json, live } = await this.boards.scenes.elementsJson(ref)
        await this.#write(ref, json, live)
      } catch (error) {
        this.markDirty(ref)
        this.logger.error({ err: error, ref }, 'whiteboard page could not be persisted; will retry')
      }
    }
  }

  /** Persists every page of every room of a class; tombstones are dropped, nothing needs them after class. */
  async persistSession(sessionId: number) {
    for (const key of [...this.#dirty.keys()]) if (key.startsWith(`${sessionId}:`)) this.#dirty.delete(key)
    for (const room of await this.boards.rooms(sessionId)) {
      for (const page of await this.boards.pages(sessionId, room)) {
        const ref = { sessionId, room, pageId: page.id }
        const live = await this.boards.scenes.liveElements(ref)
        await this.#write(ref, JSON.stringify(live), live.length)
      }
    }
  }

  async #write(ref: PageRef, elementsJson: string, liveCount: number) {
    await WhiteboardPage.query()
      .where({ classSessionId: ref.sessionId, pageKey: ref.pageId })
      .update({ elements: elementsJson, element_count: liveCount, updated_at: sqlTimestamp() })
  }

}
