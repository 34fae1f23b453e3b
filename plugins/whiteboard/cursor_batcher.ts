import type { PluginRealtime } from '#app/plugins/api'
import type { WbCursor } from './events.js'

export const CURSOR_BATCH_MS = 50

/*
| Cursors and the laser are volatile: each process keeps the latest position per user and
| room and sends one message per room every CURSOR_BATCH_MS. Students receive the teachers'
| cursors (everyone's when the school allows it); teachers receive all.
*/
export class CursorBatcher {
  #pending = new Map<string, { sessionId: number; room: string; cursors: Map<number, WbCursor> }>()
  #timer: NodeJS.Timeout

  constructor(
    private realtime: PluginRealtime,
    private studentsSeeAll: (sessionId: number) => Promise<boolean>
  ) {
    this.#timer = setInterval(() => void this.flush(), CURSOR_BATCH_MS)
    this.#timer.unref()
  }

  add(sessionId: number, room: string, cursor: WbCursor) {
    const key = `${sessionId}|${room}`
    const batch = this.#pending.get(key) ?? { sessionId, room, cursors: new Map() }
    batch.cursors.set(cursor.userId, cursor)
    this.#pending.set(key, batch)
  }

  async flush() {
    const batches = [...this.#pending.values()]
    this.#pending.clear()
    for (const { sessionId, room, cursors } of batches) {
      const all = [...cursors.values()]
      const fromTeachers = all.filter((c) => c.role === 'teacher')
      if (await this.studentsSeeAll(sessionId)) {
        this.realtime.toRoom(sessionId, room).emit('whiteboard:cursors', { room, cursors: all })
        continue
      }
      if (fromTeachers.length) this.realtime.toRoom(sessionId, room).emit('whiteboard:cursors', { room, cursors: fromTeachers })
      const fromStudents = all.filter((c) => c.role !== 'teacher')
      if (fromStudents.length) this.realtime.toTeachers(sessionId).emit('whiteboard:cursors', { room, cursors: fromStudents })
    }
  }

  stop() {
    clearInterval(this.#timer)
  }
}
