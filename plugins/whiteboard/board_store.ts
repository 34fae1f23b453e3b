import { randomBytes } from 'node:crypto'
import type { SharedState } from '#app/plugins/api'
import WhiteboardPage from './models/whiteboard_page.js'
import { SceneStore } from './scene_store.js'
import type { WbBackground, WbBoardState, WbElement, WbPage, WbViewport } from './events.js'

export interface RoomRef {
  sessionId: number
  schoolId: number
  room: string
}

const INIT_LOCK_MS = 5000
const newKey = (prefix: string) => `${prefix}${randomBytes(9).toString('base64url')}`

/*
| Board metadata per room of a class (pages, current page, follow mode, viewport) and the
| pen grants per class, in the shared state; pages are also rows in whiteboard_pages so a
| board is rebuilt from the database when the shared state was lost (Redis restart).
*/
export class BoardStore {
  readonly scenes: SceneStore

  constructor(private state: SharedState) {
    this.scenes = new SceneStore(state)
  }

  #pagesKey = (s: number, room: string) => `pages:${s}:${room}`
  #boardKey = (s: number, room: string) => `board:${s}:${room}`
  #penKey = (s: number) => `pen:${s}`
  #roomsKey = (s: number) => `rooms:${s}`
  #loadedKey = (s: number, room: string) => `loaded:${s}:${room}`

  /** Makes sure the room's board is in the shared state: loaded from the database, or a first page created. */
  async ensure(ref: RoomRef): Promise<void> {
    if (await this.state.get(this.#loadedKey(ref.sessionId, ref.room))) return
    const turn = await this.state.incr(`init:${ref.sessionId}:${ref.room}`, INIT_LOCK_MS)
    if (turn > 1) return this.#waitLoaded(ref)

    const rows = await WhiteboardPage.query()
      .where({ classSessionId: ref.sessionId, room: ref.room })
      .orderBy('position', 'asc')
    for (const row of rows) {
      await this.state.hset(this.#pagesKey(ref.sessionId, ref.room), row.pageKey, JSON.stringify(row.toPage()))
      if (row.elements.length) await this.scenes.merge({ ...ref, pageId: row.pageKey }, row.elements)
    }
    if (!rows.length) await this.#createPage(ref, 'Page 1', null, [])
    await this.state.hset(this.#roomsKey(ref.sessionId), ref.room, '1')
    const pages = await this.pages(ref.sessionId, ref.room)
    const current = await this.state.hget(this.#boardKey(ref.sessionId, ref.room), 'current')
    if (!current || !pages.some((p) => p.id === current)) {
      await this.state.hset(this.#boardKey(ref.sessionId, ref.room), 'current', pages[0].id)
    }
    await this.state.set(this.#loadedKey(ref.sessionId, ref.room), '1')
  }

  async #waitLoaded(ref: RoomRef) {
    const deadline = Date.now() + INIT_LOCK_MS
    while (Date.now() < deadline) {
      if (await this.state.get(this.#loadedKey(ref.sessionId, ref.room))) return
      await new Promise((resolve) => setTimeout(resolve, 25))
    }
    throw new Error(`Whiteboard of class ${ref.sessionId} room ${ref.room} did not load`)
  }

  async pages(sessionId: number, room: string): Promise<WbPage[]> {
    const hash = await this.state.hgetall(this.#pagesKey(sessionId, room))
    return Object.values(hash)
      .map((value) => JSON.parse(value) as WbPage)
      .sort((a, b) => a.position - b.position)
  }

  async page(sessionId: number, room: string, pageId: string): Promise<WbPage | null> {
    const value = await this.state.hget(this.#pagesKey(sessionId, room), pageId)
    return value ? (JSON.parse(value) as WbPage) : null
  }

  async rooms(sessionId: number): Promise<string[]> {
    return Object.keys(await this.state.hgetall(this.#roomsKey(sessionId)))
  }

  /** Adds a page after the last one (optionally with a slide background and initial elements). */
  async addPage(ref: RoomRef, title: string | null, background: WbBackground | null = null, elements: WbElement[] = []) {
    const pages = await this.pages(ref.sessionId, ref.room)
    return this.#createPage(ref, title ?? `Page ${pages.length + 1}`, background, elements, pages)
  }

  async #createPage(ref: RoomRef, title: string, background: WbBackground | null, elements: WbElement[], existing: WbPage[] = []) {
    const position = existing.reduce((max, p) => Math.max(max, p.position), 0) + 1
    const row = await WhiteboardPage.create({
      classSessionId: ref.sessionId,
      schoolId: ref.schoolId,
      room: ref.room,
      pageKey: newKey('p'),
      position,
      title,
      background,
      elements,
      elementCount: elements.length,
    })
    const page = row.toPage()
    await this.state.hset(this.#pagesKey(ref.sessionId, ref.room), page.id, JSON.stringify(page))
    if (elements.length) await this.scenes.merge({ ...ref, pageId: page.id }, elements)
    return page
  }

  /** Changes a page's title/background and merges elements into it (used to seed a room). */
  async replacePage(ref: RoomRef, page: WbPage, elements: WbElement[]) {
    await WhiteboardPage.query()
      .where({ classSessionId: ref.sessionId, pageKey: page.id })
      .update({ title: page.title, background: JSON.stringify(page.background) })
    await this.state.hset(this.#pagesKey(ref.sessionId, ref.room), page.id, JSON.stringify(page))
    if (elements.length) await this.scenes.merge({ ...ref, pageId: page.id }, elements)
  }

  async setCurrent(sessionId: number, room: string, pageId: string) {
    await this.state.hset(this.#boardKey(sessionId, room), 'current', pageId)
  }

  async setFollow(sessionId: number, room: string, follow: { enabled: boolean; locked: boolean }) {
    await this.state.hset(this.#boardKey(sessionId, room), 'follow', JSON.stringify(follow))
    if (!follow.enabled) await this.state.hdel(this.#boardKey(sessionId, room), 'viewport')
  }

  async setViewport(sessionId: number, room: string, viewport: WbViewport) {
    await this.state.hset(this.#boardKey(sessionId, room), 'viewport', JSON.stringify(viewport))
  }

  async follow(sessionId: number, room: string): Promise<{ enabled: boolean; locked: boolean }> {
    const value = await this.state.hget(this.#boardKey(sessionId, room), 'follow')
    return value ? JSON.parse(value) : { enabled: false, locked: false }
  }

  /** Pen grants for the whole class: `all` (or the school's default when never set) and named students. */
  async setPen(sessionId: number, change: { userId?: number; all?: boolean; granted: boolean }) {
    if (change.all) {
      await this.state.hset(this.#penKey(sessionId), 'all', change.granted ? '1' : '0')
      if (!change.granted) {
        for (const field of Object.keys(await this.state.hgetall(this.#penKey(sessionId)))) {
          if (field !== 'all') await this.state.hdel(this.#penKey(sessionId), field)
        }
      }
    } else if (change.userId !== undefined) {
      if (change.granted) await this.state.hset(this.#penKey(sessionId), String(change.userId), '1')
      else await this.state.hdel(this.#penKey(sessionId), String(change.userId))
    }
  }

  async pen(sessionId: number, defaultForAll: boolean): Promise<{ penForAll: boolean; penUserIds: number[] }> {
    const hash = await this.state.hgetall(this.#penKey(sessionId))
    return {
      penForAll: hash.all === undefined ? defaultForAll : hash.all === '1',
      penUserIds: Object.keys(hash)
        .filter((field) => field !== 'all')
        .map(Number),
    }
  }

  async board(sessionId: number, room: string, defaultPenForAll: boolean): Promise<WbBoardState> {
    const [pages, hash, pen] = await Promise.all([
      this.pages(sessionId, room),
      this.state.hgetall(this.#boardKey(sessionId, room)),
      this.pen(sessionId, defaultPenForAll),
    ])
    const follow = hash.follow ? JSON.parse(hash.follow) : { enabled: false, locked: false }
    return {
      room,
      pages,
      currentPageId: hash.current ?? pages[0]?.id ?? '',
      ...pen,
      follow,
      viewport: follow.enabled && hash.viewport ? JSON.parse(hash.viewport) : null,
    }
  }

  /** Forgets the live state of a class (after it was persisted). */
  async forget(sessionId: number) {
    for (const prefix of ['pages', 'board', 'loaded', 'init', 'scene']) await this.state.clearPrefix(`${prefix}:${sessionId}:`)
    await this.state.del(this.#penKey(sessionId))
    await this.state.del(this.#roomsKey(sessionId))
  }
}
