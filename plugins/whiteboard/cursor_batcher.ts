import type { PluginRealtime } from '#app/plugins/api'
import { RoomBatcher } from './room_batcher.js'
import type { WbCursor } from './events.js'

export const CURSOR_BATCH_MS = 50

/** Only the latest position of each user counts. */
export const latestPerUser = (cursors: WbCursor[]) => [...new Map(cursors.map((c) => [c.userId, c])).values()]

/*
| Cursors and the laser: one message per room every CURSOR_BATCH_MS. Students receive the
| teachers' cursors (everyone's when the school allows it); teachers receive all.
*/
export function createCursorBatcher(realtime: PluginRealtime, studentsSeeAll: (sessionId: number) => Promise<boolean>) {
  return new RoomBatcher<WbCursor>(CURSOR_BATCH_MS, async (sessionId, room, items) => {
    const all = latestPerUser(items)
    if (await studentsSeeAll(sessionId)) {
      realtime.toRoom(sessionId, room).emit('whiteboard:cursors', { room, cursors: all })
      return
    }
    const fromTeachers = all.filter((c) => c.role === 'teacher')
    if (fromTeachers.length) realtime.toRoom(sessionId, room).emit('whiteboard:cursors', { room, cursors: fromTeachers })
    const fromStudents = all.filter((c) => c.role !== 'teacher')
    if (fromStudents.length) realtime.toTeachers(sessionId).emit('whiteboard:cursors', { room, cursors: fromStudents })
  })
}
