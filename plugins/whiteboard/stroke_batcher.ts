import type { PluginRealtime } from '#app/plugins/api'
import { RoomBatcher } from './room_batcher.js'
import type { WbStrokeGrowth } from './events.js'

export const STROKE_BATCH_MS = 25

/** Appends of the same stroke within one window travel as one entry (points in order, start kept). */
export function coalesceStrokes(items: WbStrokeGrowth[]): WbStrokeGrowth[] {
  const byElement = new Map<string, WbStrokeGrowth>()
  for (const item of items) {
    const held = byElement.get(item.elementId)
    if (held && held.pageId === item.pageId) held.points = [...held.points, ...item.points]
    else byElement.set(item.elementId, { ...item, points: [...item.points] })
  }
  return [...byElement.values()]
}

/*
| Freehand strokes in progress: appended points only, batched per room every STROKE_BATCH_MS.
| The sender's own growth comes back to it in the batch; clients skip their own strokes.
*/
export function createStrokeBatcher(realtime: PluginRealtime) {
  return new RoomBatcher<WbStrokeGrowth>(STROKE_BATCH_MS, (sessionId, room, items) => {
    realtime.toRoom(sessionId, room).emit('whiteboard:strokes', { room, strokes: coalesceStrokes(items) })
  })
}
