import type { SharedState } from '#app/plugins/api'
import type { WbElement } from './events.js'

export interface PageRef {
  sessionId: number
  room: string
  pageId: string
}

export const sceneKey = (ref: PageRef) => `scene:${ref.sessionId}:${ref.room}:${ref.pageId}`

/**
 * The authoritative scene of every page, in the shared state (Redis hash + Lua merge when
 * REDIS_URL is set, process memory otherwise). One hash field per element id.
 */
export class SceneStore {
  constructor(private state: SharedState) {}

  /** Merges with Excalidraw's rule; returns the elements that won and the server's copies that beat the rest. */
  async merge(ref: PageRef, elements: WbElement[]): Promise<{ won: WbElement[]; stale: WbElement[] }> {
    const byId = new Map(elements.map((e) => [e.id, e]))
    const result = await this.state.mergeVersioned(
      sceneKey(ref),
      elements.map((e) => ({ id: e.id, version: e.version, nonce: e.versionNonce, value: JSON.stringify(e) }))
    )
    return {
      won: [...new Set(result.won)].map((id) => byId.get(id)!),
      stale: result.lost.filter(Boolean).map((value) => JSON.parse(value) as WbElement),
    }
  }

  async elements(ref: PageRef): Promise<WbElement[]> {
    const hash = await this.state.hgetall(sceneKey(ref))
    return Object.values(hash).map((value) => JSON.parse(value) as WbElement)
  }

  /** The page without its tombstones: what a copy, a thumbnail or a review shows. */
  async liveElements(ref: PageRef): Promise<WbElement[]> {
    return (await this.elements(ref)).filter((e) => !e.isDeleted)
  }

  async count(ref: PageRef): Promise<number> {
    return this.state.hlen(sceneKey(ref))
  }
}
