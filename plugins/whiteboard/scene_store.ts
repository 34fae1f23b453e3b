import type { SharedState } from '#app/plugins/api'
import type { WbElement } from './events.js'
import { parseStoredJson } from '#app/core/payload_guard'

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

  /**
   * Merges with Excalidraw's rule. Returns the elements that won, the server's copies that beat
   * others (`stale`), and the elements the server already held exactly, same version and nonce
   * (`resent`): a client resends what was never acknowledged, and the process that merged the
   * first try may have died before relaying it, so a resend is relayed again.
   */
  async merge(ref: PageRef, elements: WbElement[]): Promise<{ won: WbElement[]; stale: WbElement[]; resent: WbElement[] }> {
    const byId = new Map(elements.map((e) => [e.id, e]))
    const result = await this.state.mergeVersioned(
      sceneKey(ref),
      elements.map((e) => ({ id: e.id, version: e.version, nonce: e.versionNonce, value: JSON.stringify(e) }))
    )
    const stale: WbElement[] = []
    const resent: WbElement[] = []
    for (const value of result.lost.filter(Boolean)) {
      const held = parseStoredJson<WbElement>(value)
      const sent = byId.get(held.id)
      if (sent && sent.version === held.version && sent.versionNonce === held.versionNonce) resent.push(sent)
      else stale.push(held)
    }
    return { won: [...new Set(result.won)].map((id) => byId.get(id)!), stale, resent }
  }

  async elements(ref: PageRef): Promise<WbElement[]> {
    const hash = await this.state.hgetall(sceneKey(ref))
    return Object.values(hash).map((value) => parseStoredJson<WbElement>(value))
  }

  /**
   * The page as one JSON array, tombstones included, and how many of its elements are live,
   * without parsing a single element: the periodic write of a page of thousands of strokes
   * would otherwise parse and re-serialise megabytes on the event loop every PERSIST_EVERY_MS.
   */
  async elementsJson(ref: PageRef): Promise<{ json: string; live: number }> {
    const values = Object.values(await this.state.hgetall(sceneKey(ref)))
    // The values are JSON.stringify of validated elements: an unescaped "isDeleted":true can only be that key.
    return { json: `[${values.join(',')}]`, live: values.filter((value) => !value.includes('"isDeleted":true')).length }
  }

  /** The page without its tombstones: what a copy, a thumbnail or a review shows. */
  async liveElements(ref: PageRef): Promise<WbElement[]> {
    return (await this.elements(ref)).filter((e) => !e.isDeleted)
  }

  async count(ref: PageRef): Promise<number> {
    return this.state.hlen(sceneKey(ref))
  }
}
