import type { PluginRealtime } from '#app/plugins/api'
import { RoomBatcher } from './room_batcher.js'
import type { WbStrokeGrowth, WbStrokeStart } from './events.js'

export const STROKE_BATCH_MS = 25

export interface StrokeItem {
  pageId: string
  start?: WbStrokeStart
  /** [handle, x1, y1, …] */
  growth: WbStrokeGrowth
}

/** One message per page: starts first, and the growth of one stroke within the window as one tuple. */
export function batchByPage(items: StrokeItem[]) {
  const pages = new Map<string, { starts: WbStrokeStart[]; growth: Map<number, WbStrokeGrowth> }>()
  for (const item of items) {
    const page = pages.get(item.pageId) ?? { starts: [] as WbStrokeStart[], growth: new Map<number, WbStrokeGrowth>() }
    if (item.start) page.starts.push(item.start)
    const [handle, ...points] = item.growth
    const held = page.growth.get(handle)
    if (held) held.push(...points)
    else page.growth.set(handle, [handle, ...points])
    pages.set(item.pageId, page)
  }
  return [...pages].map(([pageId, page]) => ({
    pageId,
    ...(page.starts.length ? { starts: page.starts } : {}),
    growth: [...page.growth.values()],
  }))
}

/*
| Freehand strokes in progress: appended points only, batched per room every STROKE_BATCH_MS.
| The sender's own strokes come back to it in the batch; clients skip their own starts.
*/
export function createStrokeBatcher(realtime: PluginRealtime) {
  return new RoomBatcher<StrokeItem>(STROKE_BATCH_MS, (sessionId, room, items) => {
    for (const batch of batchByPage(items)) realtime.toRoom(sessionId, room).emit('whiteboard:strokes', { room, ...batch })
  })
}
