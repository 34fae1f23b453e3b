import type { PageRef } from './scene_store.js'
import type { WbElement } from './events.js'

type Point = [number, number]

/** What a receiver needs to draw a stroke in progress; Excalidraw's other fields are defaults. */
const DRAWN_FIELDS = [
  'id',
  'type',
  'x',
  'y',
  'strokeColor',
  'backgroundColor',
  'strokeWidth',
  'strokeStyle',
  'roughness',
  'opacity',
  'angle',
  'version',
  'versionNonce',
  'isDeleted',
  'index',
  'frameId',
  'groupIds',
  'simulatePressure',
  'pressures',
  'points',
] as const

export function drawnFields(element: WbElement): WbElement {
  const slim: Record<string, unknown> = {}
  for (const field of DRAWN_FIELDS) if (element[field] !== undefined) slim[field] = element[field]
  return slim as WbElement
}

const STALE_MS = 60_000

/*
| The freehand strokes this process is relaying: a short handle per stroke and every point
| relayed so far. When the finished element arrives with exactly those points, receivers
| already have them, so the element is forwarded without its points (see 'whiteboard:elements'.grown).
| A stroke's growth always comes through its drawer's socket, hence through one process.
*/
export class StrokeTracker {
  #strokes = new Map<string, { handle: number; points: Point[]; touchedAt: number }>()

  #key = (ref: PageRef, elementId: string) => `${ref.sessionId}|${ref.room}|${ref.pageId}|${elementId}`

  start(ref: PageRef, elementId: string, handle: number, points: Point[]) {
    this.#sweep()
    this.#strokes.set(this.#key(ref, elementId), { handle, points: [...points], touchedAt: Date.now() })
  }

  /** The stroke's handle, or null when this process did not see it start. */
  grow(ref: PageRef, elementId: string, points: Point[]): number | null {
    const stroke = this.#strokes.get(this.#key(ref, elementId))
    if (!stroke) return null
    stroke.points.push(...points)
    stroke.touchedAt = Date.now()
    return stroke.handle
  }

  /** Ends the stroke; returns its point count when the final element's points are exactly those relayed. */
  finish(ref: PageRef, element: WbElement): number | null {
    const key = this.#key(ref, element.id)
    const stroke = this.#strokes.get(key)
    if (!stroke) return null
    this.#strokes.delete(key)
    const points = element.points as Point[] | undefined
    if (element.type !== 'freedraw' || !points || points.length !== stroke.points.length) return null
    for (let i = 0; i < points.length; i++) {
      if (points[i][0] !== stroke.points[i][0] || points[i][1] !== stroke.points[i][1]) return null
    }
    return points.length
  }

  #sweep() {
    const now = Date.now()
    for (const [key, stroke] of this.#strokes) if (now - stroke.touchedAt > STALE_MS) this.#strokes.delete(key)
  }
}
