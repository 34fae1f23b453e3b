/*
| The whiteboard's sync client: keeps one Excalidraw scene in step with the server's copy of the
| current page. Plain TypeScript without Vue or Excalidraw imports, so its rules can be unit-tested
| with a fake scene and a fake transport.
|
| - Every element id maps to the (version, versionNonce) last sent to or received from the server;
|   a local change is an element whose pair differs, and only those are sent (`whiteboard:update`).
| - Merge rule (Excalidraw's): higher version wins; on a tie the lower versionNonce wins. Incoming
|   elements are merged with Excalidraw's `reconcileElements` when given, else with `mergeElements`.
| - A freehand stroke in progress is not sent as an element: its new points go out at most ~10/s
|   with `whiteboard:stroke` (the first message carries the element skeleton in `start`); the full
|   element follows through `whiteboard:update` once the stroke ends. Incoming strokes are drawn
|   on a local "ghost" element that keeps the start's version, so the final element always wins.
*/
import type { WbElement, WbStrokeGrowth, WbStrokeStart, WbViewport } from '../events.js'

export type Point = [number, number]

export interface VersionPair {
  version: number
  versionNonce: number
}

/** Excalidraw's onPointerUpdate payload (scene coordinates). */
export interface PointerUpdate {
  pointer: { x: number; y: number; tool: 'pointer' | 'laser' }
  button: 'down' | 'up'
}

/** The part of Excalidraw's appState the sync reads. */
export interface SyncAppState {
  newElement?: { id: string; type: string } | null
  editingTextElement?: { id: string } | null
  resizingElement?: { id: string } | null
  scrollX: number
  scrollY: number
  zoom: { value: number }
  width: number
  height: number
  [key: string]: unknown
}

/** The part of Excalidraw's imperative API the sync uses. */
export interface SceneApi {
  getSceneElementsIncludingDeleted(): readonly unknown[]
  getAppState(): unknown
  updateScene(scene: { elements?: readonly unknown[]; appState?: Record<string, unknown>; captureUpdate?: unknown }): void
}

export interface SyncTransport {
  update(payload: { pageId: string; elements: WbElement[] }): Promise<{ applied: number; stale: WbElement[] }>
  stroke(payload: { pageId: string; elementId: string; points: Point[]; start?: WbElement }): Promise<unknown>
}

/** A remote stroke's new points (the first growth carries the element skeleton in `start`). */
export interface StrokeGrowth {
  pageId: string
  elementId: string
  userId: number
  points: Point[]
  start?: WbElement
}

/** Excalidraw fields a stroke start leaves out (the server sends only what draws it). */
export const GHOST_DEFAULTS = {
  angle: 0,
  backgroundColor: 'transparent',
  strokeStyle: 'solid',
  fillStyle: 'solid',
  roughness: 0,
  opacity: 100,
  groupIds: [],
  frameId: null,
  roundness: null,
  seed: 1,
  boundElements: null,
  updated: 0,
  link: null,
  locked: false,
  pressures: [],
  simulatePressure: true,
  lastCommittedPoint: null,
  width: 0,
  height: 0,
}

/** Who drew a stroke handle, learnt from its start. */
export type StrokeHandles = Map<number, { elementId: string; userId: number }>

/** Turns one server stroke batch (starts + flat growth tuples) into growth messages. */
export function expandStrokeBatch(
  batch: { pageId: string; starts?: WbStrokeStart[]; growth: WbStrokeGrowth[] },
  handles: StrokeHandles
): StrokeGrowth[] {
  const starts = new Map<number, WbStrokeStart>()
  for (const start of batch.starts ?? []) {
    handles.set(start.handle, { elementId: start.element.id, userId: start.by })
    starts.set(start.handle, start)
  }
  const messages: StrokeGrowth[] = []
  for (const [handle, ...flat] of batch.growth) {
    const stroke = handles.get(handle)
    if (!stroke) continue // started before we arrived: its finished element will come
    const points: Point[] = []
    for (let i = 0; i + 1 < flat.length; i += 2) points.push([flat[i], flat[i + 1]])
    const start = starts.get(handle)
    messages.push({
      pageId: batch.pageId,
      elementId: stroke.elementId,
      userId: stroke.userId,
      points,
      ...(start ? { start: { ...GHOST_DEFAULTS, ...start.element } as WbElement } : {}),
    })
  }
  return messages
}

export type Reconcile = (local: readonly WbElement[], remote: readonly WbElement[], appState: SyncAppState) => WbElement[]

export interface BoardSyncOptions {
  transport: SyncTransport
  /** Excalidraw's reconcileElements (same rule, plus fractional index ordering); default mergeElements. */
  reconcile?: Reconcile
  /** Completes a full page from the server (Excalidraw's restoreElements) before it is shown. */
  prepare?: (elements: readonly WbElement[]) => WbElement[]
  /** Value of CaptureUpdateAction.NEVER: remote changes stay out of the local undo stack. */
  captureNever?: unknown
  /** Minimum delay between two `whiteboard:update` messages (ms). */
  updateIntervalMs?: number
  /** Minimum delay between two `whiteboard:stroke` messages of one stroke (ms). */
  strokeIntervalMs?: number
  /** Stroke ghosts without news for this long are removed (the drawer went away). */
  ghostTimeoutMs?: number
  /** Largest JSON size of one update message; bigger change sets are split. */
  maxUpdateBytes?: number
  /** Called when the server refused a change (e.g. `forbidden`): the caller reloads the page. */
  onRejected?: (code: string, message: string) => void
  onError?: (message: string) => void
}

/* ----------------------------------------------------------------------------------------------
| Pure rules
*/

/** Whether `remote` beats `local` under Excalidraw's rule (no local copy: remote wins). */
export function remoteWins(local: VersionPair | undefined, remote: VersionPair) {
  if (!local) return true
  if (remote.version !== local.version) return remote.version > local.version
  return remote.versionNonce < local.versionNonce
}

export function samePair(a: VersionPair | undefined, b: VersionPair) {
  return !!a && a.version === b.version && a.versionNonce === b.versionNonce
}

/**
 * Merges remote elements into local ones with the same rule as Excalidraw's reconcileElements
 * (without its fractional-index ordering): remote wins unless the local copy is being edited, is
 * newer, or ties with a lower-or-equal versionNonce. Local order is kept, new remote elements follow.
 */
export function mergeElements(local: readonly WbElement[], remote: readonly WbElement[], editingIds: ReadonlySet<string> = new Set()) {
  const byId = new Map(remote.map((element) => [element.id, element]))
  const result: WbElement[] = []
  const seen = new Set<string>()
  for (const element of local) {
    const incoming = byId.get(element.id)
    seen.add(element.id)
    if (incoming && !editingIds.has(element.id) && remoteWins(element, incoming)) result.push(incoming)
    else result.push(element)
  }
  for (const element of remote) if (!seen.has(element.id)) result.push(element)
  return result
}

/** Elements whose (version, versionNonce) differ from what the server is known to have. */
export function changedElements(elements: readonly WbElement[], known: ReadonlyMap<string, VersionPair>, skip: ReadonlySet<string> = new Set()) {
  return elements.filter((element) => !skip.has(element.id) && !samePair(known.get(element.id), element))
}

/** Splits elements into batches whose JSON stays under maxBytes (one oversized element stays alone). */
export function batchBySize<T>(items: readonly T[], maxBytes: number, maxCount = 200) {
  const batches: T[][] = []
  let current: T[] = []
  let size = 2
  for (const item of items) {
    const itemSize = JSON.stringify(item).length + 1
    if (current.length && (size + itemSize > maxBytes || current.length >= maxCount)) {
      batches.push(current)
      current = []
      size = 2
    }
    current.push(item)
    size += itemSize
  }
  if (current.length) batches.push(current)
  return batches
}

/** Width and height of a point list, as Excalidraw computes them for linear and freehand elements. */
export function sizeOfPoints(points: readonly Point[]) {
  if (!points.length) return { width: 0, height: 0 }
  let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity]
  for (const [x, y] of points) {
    minX = Math.min(minX, x)
    minY = Math.min(minY, y)
    maxX = Math.max(maxX, x)
    maxY = Math.max(maxY, y)
  }
  return { width: maxX - minX, height: maxY - minY }
}

/** A copy of a freehand element with more points (pressures padded when the pen reported them). */
export function appendPoints(element: WbElement, points: readonly Point[]): WbElement {
  const previous = (element.points as Point[] | undefined) ?? []
  const all = [...previous, ...points.map((p) => [p[0], p[1]] as Point)]
  const next: WbElement = { ...element, points: all, ...sizeOfPoints(all) }
  if (element.simulatePressure === false) {
    const pressures = [...((element.pressures as number[] | undefined) ?? [])]
    while (pressures.length < all.length) pressures.push(0.5)
    next.pressures = pressures
  }
  return next
}

/** The first stroke message's element: everything but the points, which follow separately. */
export function strokeSkeleton(element: WbElement): WbElement {
  return { ...element, points: [], pressures: [], width: 0, height: 0 }
}

export const MIN_ZOOM = 0.1
export const MAX_ZOOM = 30

/**
 * The scroll and zoom that fit the teacher's visible scene rectangle into a canvas of the given
 * size, centred (Excalidraw: screen = (scene + scroll) * zoom).
 */
export function fitViewport(teacher: WbViewport, width: number, height: number) {
  const visibleWidth = teacher.width / teacher.zoom
  const visibleHeight = teacher.height / teacher.zoom
  const raw = Math.min(width / visibleWidth, height / visibleHeight)
  const zoom = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, Number.isFinite(raw) && raw > 0 ? raw : 1))
  const centerX = -teacher.scrollX + visibleWidth / 2
  const centerY = -teacher.scrollY + visibleHeight / 2
  return { scrollX: width / (2 * zoom) - centerX, scrollY: height / (2 * zoom) - centerY, zoom }
}

/** The centre of the visible scene area of a viewport. */
export function viewportCenter(view: { scrollX: number; scrollY: number; zoom: number; width: number; height: number }) {
  return { x: -view.scrollX + view.width / (2 * view.zoom), y: -view.scrollY + view.height / (2 * view.zoom) }
}

export function viewportOf(appState: SyncAppState): WbViewport {
  return { scrollX: appState.scrollX, scrollY: appState.scrollY, zoom: appState.zoom.value, width: appState.width, height: appState.height }
}

export function sameViewport(a: WbViewport | null, b: WbViewport, epsilon = 0.01) {
  return (
    !!a &&
    Math.abs(a.scrollX - b.scrollX) < epsilon &&
    Math.abs(a.scrollY - b.scrollY) < epsilon &&
    Math.abs(a.zoom - b.zoom) < epsilon / 100 &&
    Math.abs(a.width - b.width) < 1 &&
    Math.abs(a.height - b.height) < 1
  )
}

/** Leading + trailing throttle: runs at once, then at most once per interval with the latest call. */
export function throttle<A extends unknown[]>(fn: (...args: A) => void, intervalMs: number) {
  let last = 0
  let timer: ReturnType<typeof setTimeout> | null = null
  let pending: A | null = null
  const run = () => {
    timer = null
    last = Date.now()
    const args = pending!
    pending = null
    fn(...args)
  }
  const throttled = (...args: A) => {
    pending = args
    if (timer) return
    const wait = intervalMs - (Date.now() - last)
    if (wait <= 0) run()
    else timer = setTimeout(run, wait)
  }
  throttled.cancel = () => {
    if (timer) clearTimeout(timer)
    timer = null
    pending = null
  }
  throttled.flush = () => {
    if (timer) {
      clearTimeout(timer)
      run()
    }
  }
  return throttled
}

/* ----------------------------------------------------------------------------------------------
| The sync client
*/

interface OutgoingStroke {
  id: string
  element: WbElement
  sentPoints: number
  started: boolean
  lastSentAt: number
  timer: ReturnType<typeof setTimeout> | null
}

interface Ghost {
  element: WbElement
  userId: number
  touchedAt: number
}

const plain = (element: unknown) => element as WbElement

export class BoardSync {
  pageId: string | null = null
  /** Version pairs the server is known to hold, per element id. */
  readonly known = new Map<string, VersionPair>()
  /** Remote strokes in progress, drawn locally. */
  readonly ghosts = new Map<string, Ghost>()
  /** Stroke handles of the room, from the server's stroke starts. */
  readonly strokeHandles: StrokeHandles = new Map()
  /** Users who may not change the scene send nothing. */
  readOnly = false
  /** Counters for diagnostics and tests. */
  readonly stats = { updatesSent: 0, elementsSent: 0, strokesSent: 0, received: 0, strokesReceived: 0, rejected: 0 }

  private api: SceneApi | null = null
  private options: Required<Omit<BoardSyncOptions, 'reconcile' | 'prepare' | 'onRejected' | 'onError' | 'captureNever'>> & BoardSyncOptions
  private stroke: OutgoingStroke | null = null
  private lastUpdateAt = 0
  private updateTimer: ReturnType<typeof setTimeout> | null = null
  private ghostTimer: ReturnType<typeof setInterval> | null = null
  private inflight = 0
  private idleWaiters: (() => void)[] = []

  constructor(options: BoardSyncOptions) {
    this.options = { updateIntervalMs: 100, strokeIntervalMs: 100, ghostTimeoutMs: 10_000, maxUpdateBytes: 256_000, ...options }
  }

  /** Sets options that are only known once Excalidraw has loaded (reconcile, prepare, captureNever). */
  configure(options: Partial<BoardSyncOptions>) {
    Object.assign(this.options, options)
  }

  attach(api: SceneApi) {
    this.api = api
    this.ghostTimer ??= setInterval(() => this.expireGhosts(), 2000)
  }

  detach() {
    this.flushNow()
    this.api = null
    this.cancelStroke()
    if (this.updateTimer) clearTimeout(this.updateTimer)
    this.updateTimer = null
    if (this.ghostTimer) clearInterval(this.ghostTimer)
    this.ghostTimer = null
  }

  get attached() {
    return this.api !== null
  }

  private elements() {
    return (this.api?.getSceneElementsIncludingDeleted() ?? []) as readonly WbElement[]
  }

  private appState() {
    return this.api?.getAppState() as SyncAppState
  }

  private write(elements: readonly WbElement[]) {
    this.api?.updateScene({ elements, captureUpdate: this.options.captureNever })
  }

  private merge(remote: readonly WbElement[]) {
    const appState = this.appState()
    if (this.options.reconcile) return this.options.reconcile(this.elements(), remote, appState)
    const editing = new Set([appState?.newElement?.id, appState?.editingTextElement?.id, appState?.resizingElement?.id].filter(Boolean) as string[])
    return mergeElements(this.elements(), remote, editing)
  }

  private prepare(elements: readonly WbElement[]) {
    return this.options.prepare ? this.options.prepare(elements) : [...elements]
  }

  private remember(element: VersionPair & { id: string }) {
    const current = this.known.get(element.id)
    if (remoteWins(current, element)) this.known.set(element.id, { version: element.version, versionNonce: element.versionNonce })
  }

  /**
   * Shows a page. `merge` keeps local changes that the server does not have yet (a reconnect on
   * the same page): they win the merge if newer and are sent on the next flush.
   */
  load(pageId: string, incoming: readonly WbElement[], options: { merge?: boolean } = {}) {
    const elements = this.prepare(incoming)
    const merge = options.merge === true && pageId === this.pageId && this.attached
    if (!merge) this.flushNow()
    this.cancelStroke()
    this.pageId = pageId
    this.known.clear()
    this.ghosts.clear()
    this.strokeHandles.clear()
    for (const element of elements) this.known.set(element.id, { version: element.version, versionNonce: element.versionNonce })
    if (!this.api) return
    if (merge) {
      this.write(this.merge(elements))
      this.scheduleUpdate()
    } else {
      this.write(elements)
      // Excalidraw may fix invalid fractional indices while loading (bumping versions); those
      // are sent like any local change by whoever may draw.
    }
  }

  /** Excalidraw's onChange: cheap bookkeeping only, the work is throttled. */
  handleChange(appState: SyncAppState) {
    if (!this.api || !this.pageId) return
    const drawing = appState.newElement && appState.newElement.type === 'freedraw' ? (appState.newElement as unknown as WbElement) : null
    if (drawing && !this.readOnly) {
      if (!this.stroke || this.stroke.id !== drawing.id) {
        this.cancelStroke()
        this.stroke = { id: drawing.id, element: drawing, sentPoints: 0, started: false, lastSentAt: 0, timer: null }
      }
      this.stroke.element = drawing
      this.scheduleStroke()
      return
    }
    if (this.stroke) {
      // The stroke ended: no more point messages, the full element goes out with the next update.
      this.cancelStroke()
      this.scheduleUpdate(true)
      return
    }
    this.scheduleUpdate()
  }

  private scheduleUpdate(immediate = false) {
    if (this.updateTimer) {
      if (!immediate) return
      clearTimeout(this.updateTimer)
    }
    const wait = immediate ? 0 : Math.max(0, this.options.updateIntervalMs - (Date.now() - this.lastUpdateAt))
    this.updateTimer = setTimeout(() => {
      this.updateTimer = null
      this.flushNow()
    }, wait)
  }

  /** Sends every local change now (also before switching pages). */
  flushNow() {
    if (this.updateTimer) clearTimeout(this.updateTimer)
    this.updateTimer = null
    if (!this.api || !this.pageId || this.readOnly) return this.checkIdle()
    const skip = new Set<string>(this.stroke ? [this.stroke.id] : [])
    const changed = changedElements(this.elements(), this.known, skip).map(plain)
    // Nothing (left) to send: whoever waits for idle may go on, even when a timer led here.
    if (!changed.length) return this.checkIdle()
    this.lastUpdateAt = Date.now()
    const pageId = this.pageId
    const previous = new Map(changed.map((element) => [element.id, this.known.get(element.id)]))
    for (const element of changed) this.known.set(element.id, { version: element.version, versionNonce: element.versionNonce })
    for (const batch of batchBySize(changed, this.options.maxUpdateBytes)) {
      this.stats.updatesSent++
      this.stats.elementsSent += batch.length
      this.inflight++
      this.options.transport
        .update({ pageId, elements: batch })
        .then(({ stale }) => {
          if (stale.length && pageId === this.pageId) this.applyRemote(pageId, stale)
        })
        .catch((error: { code?: string; message?: string }) => {
          if (pageId !== this.pageId) return
          // Forget that these were sent so that a later flush (or the reload) sorts them out.
          for (const element of batch) {
            const before = previous.get(element.id)
            const now = this.known.get(element.id)
            if (now && now.version === element.version && now.versionNonce === element.versionNonce) {
              if (before) this.known.set(element.id, before)
              else this.known.delete(element.id)
            }
          }
          if (['forbidden', 'not_found', 'invalid', 'too_large', 'plugin_disabled'].includes(error?.code ?? '')) {
            this.stats.rejected++
            this.options.onRejected?.(error.code!, error.message ?? '')
          } else {
            this.options.onError?.(error?.message ?? 'The whiteboard could not be saved')
            setTimeout(() => this.scheduleUpdate(), 1000)
          }
        })
        .finally(() => this.settled())
    }
  }

  private settled() {
    this.inflight--
    this.checkIdle()
  }

  private checkIdle() {
    if (this.inflight === 0 && !this.updateTimer) this.idleWaiters.splice(0).forEach((resolve) => resolve())
  }

  /** Resolves once no update is pending or in flight (tests, page switches). */
  idle() {
    this.flushNow()
    if (this.inflight === 0) return Promise.resolve()
    return new Promise<void>((resolve) => this.idleWaiters.push(resolve))
  }

  private scheduleStroke() {
    const stroke = this.stroke
    if (!stroke || stroke.timer) return
    const wait = Math.max(0, this.options.strokeIntervalMs - (Date.now() - stroke.lastSentAt))
    stroke.timer = setTimeout(() => {
      stroke.timer = null
      if (this.stroke === stroke) this.sendStroke(stroke)
    }, wait)
  }

  private sendStroke(stroke: OutgoingStroke) {
    if (!this.pageId) return
    const points = ((stroke.element.points as Point[] | undefined) ?? []).slice(stroke.sentPoints)
    if (stroke.started && !points.length) return
    const payload: { pageId: string; elementId: string; points: Point[]; start?: WbElement } = {
      pageId: this.pageId,
      elementId: stroke.id,
      points: points.map((p) => [p[0], p[1]] as Point),
    }
    if (!stroke.started) payload.start = strokeSkeleton(stroke.element)
    stroke.started = true
    stroke.sentPoints += points.length
    stroke.lastSentAt = Date.now()
    this.stats.strokesSent++
    this.options.transport.stroke(payload).catch(() => {})
  }

  private cancelStroke() {
    if (this.stroke?.timer) clearTimeout(this.stroke.timer)
    this.stroke = null
  }

  /** Elements that won the server's merge (another user's change, or the stale copies of ours). */
  applyRemote(pageId: string, incoming: readonly WbElement[], grown?: Record<string, number>): string[] {
    if (pageId !== this.pageId || !incoming.length) return []
    // Finished strokes sent without points: rebuilt from the growth we drew, or fetched when we missed some.
    const missing: string[] = []
    const elements = incoming.flatMap((element) => {
      const count = grown?.[element.id]
      if (count === undefined) return [element]
      const points = this.ghosts.get(element.id)?.element.points as Point[] | undefined
      if (points?.length === count) return [{ ...element, points: points.map((p) => [p[0], p[1]] as Point) }]
      missing.push(element.id)
      return []
    })
    if (!elements.length) return missing
    this.stats.received += elements.length
    for (const element of elements) {
      this.remember(element)
      this.ghosts.delete(element.id)
    }
    if (this.api) this.write(this.merge(elements))
    return missing
  }

  /** A remote freehand stroke in progress: append its points to a local ghost element. */
  applyStroke(message: StrokeGrowth) {
    this.applyStrokes([message])
  }

  /** Several stroke growths (one server batch): ghosts are updated, the scene is written once. */
  applyStrokes(messages: readonly StrokeGrowth[]) {
    if (!this.api) return
    const changed = new Map<string, WbElement>()
    let elements: readonly WbElement[] | null = null
    for (const message of messages) {
      if (message.pageId !== this.pageId || !message.points.length) continue
      this.stats.strokesReceived++
      let ghost = this.ghosts.get(message.elementId)
      if (!ghost) {
        if (!message.start) continue
        elements ??= this.elements()
        const existing = elements.find((e) => e.id === message.elementId)
        if (existing && !remoteWins(existing, message.start)) continue // the final element is already here
        const start = { ...message.start, points: [...((message.start.points as Point[] | undefined) ?? [])] }
        ghost = { element: start, userId: message.userId, touchedAt: 0 }
        this.ghosts.set(message.elementId, ghost)
      }
      ghost.element = appendPoints(ghost.element, message.points)
      ghost.touchedAt = Date.now()
      // The ghost keeps the start's version: it is never sent, and the final element replaces it.
      this.known.set(ghost.element.id, { version: ghost.element.version, versionNonce: ghost.element.versionNonce })
      changed.set(ghost.element.id, ghost.element)
    }
    if (!changed.size) return
    const current = this.elements()
    const next = current.map((e) => changed.get(e.id) ?? e)
    const present = new Set(current.map((e) => e.id))
    for (const [id, element] of changed) if (!present.has(id)) next.push(element)
    this.write(next)
  }

  private expireGhosts() {
    if (!this.api) return
    const now = Date.now()
    const expired = [...this.ghosts.values()].filter((g) => now - g.touchedAt > this.options.ghostTimeoutMs)
    if (!expired.length) return
    const stillGhosts = new Set<unknown>(expired.map((g) => g.element))
    for (const ghost of expired) {
      this.ghosts.delete(ghost.element.id)
      this.known.delete(ghost.element.id)
    }
    this.write(this.elements().filter((e) => !stillGhosts.has(e)))
  }
}
