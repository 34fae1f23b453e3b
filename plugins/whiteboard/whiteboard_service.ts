import type { PluginHost } from '#app/plugins/api'
import { BoardStore, type RoomRef } from './board_store.js'
import type { PageRef } from './scene_store.js'
import { ScenePersister } from './persister.js'
import { ActivityLog } from './activity_log.js'
import { EditSignals } from './edit_signals.js'
import { createCursorBatcher } from './cursor_batcher.js'
import { createStrokeBatcher, type StrokeItem } from './stroke_batcher.js'
import { StrokeTracker } from './stroke_tracker.js'
import type { RoomBatcher } from './room_batcher.js'
import type { whiteboardSettings } from './settings.js'
import type { WbCursor, WbElement, WbPage } from './events.js'

export type WhiteboardHost = PluginHost<typeof whiteboardSettings>

/** The whiteboard's parts, wired once per process by the plugin's setup. */
export class WhiteboardService {
  readonly boards: BoardStore
  readonly persister: ScenePersister
  readonly activity: ActivityLog
  readonly editSignals: EditSignals
  readonly cursors: RoomBatcher<WbCursor>
  readonly strokes: RoomBatcher<StrokeItem>
  readonly strokeTracker = new StrokeTracker()

  constructor(readonly host: WhiteboardHost) {
    this.boards = new BoardStore(host.state)
    this.persister = new ScenePersister(this.boards, host.logger)
    this.activity = new ActivityLog(host.events, host.logger)
    this.editSignals = new EditSignals(host.events, host.logger)
    this.cursors = createCursorBatcher(host.realtime, async (sessionId) => {
      const schoolId = this.#schools.get(sessionId)
      return schoolId !== undefined && (await host.settings.forSchool(schoolId)).studentsSeeAllCursors
    })
    this.strokes = createStrokeBatcher(host.realtime)
  }

  #schools = new Map<number, number>()

  settings(schoolId: number) {
    return this.host.settings.forSchool(schoolId)
  }

  async ensure(ref: RoomRef) {
    this.#schools.set(ref.sessionId, ref.schoolId)
    await this.boards.ensure(ref)
  }

  async mayDraw(ref: RoomRef, userId: number, role: 'teacher' | 'student') {
    if (role === 'teacher') return true
    const { studentsDrawByDefault } = await this.settings(ref.schoolId)
    const pen = await this.boards.pen(ref.sessionId, studentsDrawByDefault)
    return pen.penForAll || pen.penUserIds.includes(userId)
  }

  /** Sends the room's board state (pages, current page, pen, follow) to everyone in it. */
  async announceBoard(ref: RoomRef) {
    const { studentsDrawByDefault } = await this.settings(ref.schoolId)
    this.host.realtime.toRoom(ref.sessionId, ref.room).emit('whiteboard:board', await this.boards.board(ref.sessionId, ref.room, studentsDrawByDefault))
  }

  /** Pen grants are per class: every room with a board hears about them. */
  async announcePen(sessionId: number, schoolId: number) {
    for (const room of await this.boards.rooms(sessionId)) await this.announceBoard({ sessionId, schoolId, room })
  }

  /** Copies pages of one room into another as new pages (breakout boards into main, main into breakouts). */
  async copyPages(from: { sessionId: number; room: string }, to: RoomRef, pages: WbPage[], titlePrefix: string) {
    const copied: WbPage[] = []
    for (const page of pages) {
      const elements = await this.boards.scenes.liveElements({ ...from, pageId: page.id })
      copied.push(await this.boards.addPage(to, `${titlePrefix}${page.title}`.slice(0, 120), page.background, elements))
    }
    return copied
  }

  /** Seeds a breakout room's first page with the main room's current page. */
  async seedFromMain(sessionId: number, schoolId: number, room: string) {
    const main = { sessionId, schoolId, room: 'main' }
    await this.ensure(main)
    const { studentsDrawByDefault } = await this.settings(schoolId)
    const mainBoard = await this.boards.board(sessionId, 'main', studentsDrawByDefault)
    const page = mainBoard.pages.find((p) => p.id === mainBoard.currentPageId)
    const target = { sessionId, schoolId, room }
    await this.ensure(target)
    if (!page) return
    const elements = await this.boards.scenes.liveElements({ sessionId, room: 'main', pageId: page.id })
    const [first] = await this.boards.pages(sessionId, room)
    if (first && (await this.boards.scenes.count({ sessionId, room, pageId: first.id })) === 0 && !first.background) {
      await this.boards.replacePage(target, { ...first, title: `Main: ${page.title}`.slice(0, 120), background: page.background }, elements)
      // Students may already be in the room with the empty page open.
      if (elements.length) this.host.realtime.toRoom(sessionId, room).emit('whiteboard:elements', { room, pageId: first.id, elements, by: 0 })
      await this.announceBoard(target)
    }
  }

  /** A short id for a stroke, unique in its room across processes. */
  async strokeHandle(ref: PageRef) {
    return this.host.state.incr(`handles:${ref.sessionId}:${ref.room}`, 24 * 3600_000)
  }

  /**
   * What to forward of the elements that won a merge: finished strokes whose every point went
   * out as growth travel without their points (after that growth, flushed first).
   */
  async relayedCopies(ref: PageRef, won: WbElement[]) {
    let grown: Record<string, number> | null = null
    const relayed = won.map((element) => {
      const count = element.type === 'freedraw' ? this.strokeTracker.finish(ref, element) : null
      if (!count) return element
      grown = { ...grown, [element.id]: count }
      return { ...element, points: [] }
    })
    if (grown) await this.strokes.flushRoom(ref.sessionId, ref.room)
    return { relayed, grown: grown as Record<string, number> | null }
  }

  /** Writes the scenes changed since the last debounced write, and the buffered activity rows. */
  async flushBuffered() {
    await this.persister.flush()
    await this.activity.flush()
    await this.editSignals.flush()
  }

  async endClass(sessionId: number) {
    await this.persister.persistSession(sessionId)
    await this.activity.flush()
    await this.editSignals.flush()
    await this.boards.forget(sessionId)
    this.#schools.delete(sessionId)
  }
}
