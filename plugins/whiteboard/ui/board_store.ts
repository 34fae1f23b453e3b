import { errorText } from '~/lib/error_text'
import { i18n } from '~/i18n'
import { RealtimeRequestError } from '~/lib/realtime'
import type { RealtimeErrorBody } from '../../../app/realtime/events'
/*
| One whiteboard store per classroom page, shared by the stage and its controls: board state
| (pages, pen grants, follow mode), the sync client, cursors and the follow-teacher viewport.
| Listeners are registered on the classroom context itself, so they live as long as the page.
*/
import { computed, inject, reactive } from 'vue'
import { CLASSROOM, type ClassroomContext } from '~/classroom/context'
import {
  BoardSync,
  expandStrokeBatch,
  fitViewport,
  sameViewport,
  throttle,
  viewportOf,
  type PointerUpdate,
  type SceneApi,
  type SyncAppState,
} from './board_sync'
import { fetchDataUrl, uploadDeck as postDeck } from './api'
import type { ExcalidrawRuntime } from './excalidraw'
import type { ExcalidrawImperativeAPI } from './excalidraw_runtime'
import type { WbBoardState, WbCursor, WbElement, WbPage, WbRoomBoard, WbViewport } from '../events'

export interface CursorView extends WbCursor {
  at: number
}

export interface WhiteboardState {
  status: 'idle' | 'loading' | 'ready'
  error: string | null
  notice: string | null
  board: WbBoardState | null
  /** The page shown on this canvas. */
  pageId: string | null
  cursors: Record<number, CursorView>
  /** This canvas' scroll and zoom (for the cursor layer). */
  view: { scrollX: number; scrollY: number; zoom: number; width: number; height: number }
  /** Students: the teacher's last viewport, and whether they scrolled away from it (unlocked follow). */
  teacherViewport: WbViewport | null
  detached: boolean
  laser: boolean
  busy: boolean
  roomBoards: WbRoomBoard[] | null
}

declare global {
  interface Window {
    __aulaWhiteboard?: { api: ExcalidrawImperativeAPI; sync: BoardSync; store: WhiteboardStore; request: ClassroomContext['request'] }
  }
}

export type WhiteboardStore = ReturnType<typeof createStore>

const stores = new WeakMap<object, WhiteboardStore>()

/** The classroom's whiteboard store (call inside a component's setup). */
export function useWhiteboard() {
  const classroom = inject(CLASSROOM)
  if (!classroom) throw new Error('useWhiteboard() must be used inside the classroom page')
  let store = stores.get(classroom.socket)
  if (!store) {
    store = createStore(classroom)
    stores.set(classroom.socket, store)
  }
  return store
}

const CURSOR_TTL_MS = 4000

function createStore(classroom: ClassroomContext) {
  const state = reactive<WhiteboardState>({
    status: 'idle',
    error: null,
    notice: null,
    board: null,
    pageId: null,
    cursors: {},
    view: { scrollX: 0, scrollY: 0, zoom: 1, width: 0, height: 0 },
    teacherViewport: null,
    detached: false,
    laser: false,
    busy: false,
    roomBoards: null,
  })

  /* Kept out of Vue's reactivity on purpose. */
  let api: ExcalidrawImperativeAPI | null = null
  let runtime: ExcalidrawRuntime | null = null
  let loadToken = 0
  let applied: { scrollX: number; scrollY: number; zoom: number } | null = null
  let lastSentViewport: WbViewport | null = null

  const me = () => classroom.state.you?.userId ?? 0
  const isTeacher = computed(() => classroom.isTeacher())
  const canDraw = computed(() => {
    if (isTeacher.value) return true
    const board = state.board
    return !!board && (board.penForAll || board.penUserIds.includes(me()))
  })
  const currentPage = computed(() => state.board?.pages.find((p) => p.id === state.pageId) ?? null)
  const following = computed(() => !isTeacher.value && !!state.board?.follow.enabled)
  const locked = computed(() => following.value && !!state.board?.follow.locked)

  const sync = new BoardSync({
    transport: {
      update: (payload) => classroom.request('whiteboard:update', payload),
      stroke: (payload) => classroom.request('whiteboard:stroke', payload),
    },
    onRejected: (code, message) => {
      state.error =
        code === 'forbidden' ? i18n.global.t('whiteboard.changeNotKept') : errorText(new RealtimeRequestError({ code: code as RealtimeErrorBody['code'], message }), 'whiteboard')
      reloadPage()
    },
    onError: () => (state.error = i18n.global.t('whiteboard.notSavedRetrying')),
  })

  function flash(message: string) {
    state.notice = message
    setTimeout(() => state.notice === message && (state.notice = null), 4000)
  }

  async function run<T>(action: () => Promise<T>): Promise<T | undefined> {
    state.error = null
    try {
      return await action()
    } catch (error) {
      state.error = errorText(error, 'whiteboard')
      return undefined
    }
  }

  /* ------------------------------------------------------------------ pages and scene */

  async function showPage(pageId: string, elements: WbElement[], merge: boolean) {
    sync.load(pageId, elements, { merge })
    state.pageId = pageId
    await ensureBackground(pageId)
  }

  /** Slide backgrounds: image elements whose file is fetched from the server and added to Excalidraw. */
  async function ensureBackground(pageId: string) {
    const page = state.board?.pages.find((p) => p.id === pageId)
    const background = page?.background
    if (!background || !api) return
    const target = api
    try {
      if (!target.getFiles()[background.fileId]) {
        const dataURL = await fetchDataUrl(background.url)
        if (api !== target) return
        target.addFiles([{ id: background.fileId as never, dataURL: dataURL as never, mimeType: background.mimeType, created: Date.now() }])
      }
      if (sync.pageId !== pageId) return
      // The server sends the slide as an image element; should it be missing, show one locally.
      const elements = target.getSceneElementsIncludingDeleted() as readonly WbElement[]
      if (!elements.some((e) => e.type === 'image' && e.fileId === background.fileId) && runtime) {
        const [slide] = runtime.convertToExcalidrawElements([
          { type: 'image', id: `slide-${pageId}`, fileId: background.fileId as never, x: 0, y: 0, width: background.width, height: background.height, locked: true },
        ]) as unknown as WbElement[]
        slide.version = 1
        slide.versionNonce = 0
        slide.index = 'a0'
        sync.known.set(slide.id, { version: 1, versionNonce: 0 })
        target.updateScene({ elements: [slide, ...elements] as never, captureUpdate: runtime.CaptureUpdateAction.NEVER })
      }
    } catch (error) {
      state.error = errorText(error, 'whiteboard')
    }
  }

  /** Board state plus the current page; on a reconnect to the same page, unsent local changes are kept. */
  async function open() {
    const token = ++loadToken
    state.status = state.board ? state.status : 'loading'
    const opened = await run(() => classroom.request('whiteboard:open', {}))
    if (!opened || token !== loadToken) return
    applyBoard(opened.board, false)
    if (api) await showPage(opened.pageId, opened.elements, true)
    else state.pageId = opened.pageId
    state.status = 'ready'
    if (following.value && opened.board.viewport) followTo(opened.board.viewport, true)
  }

  async function loadPage(pageId: string) {
    const token = ++loadToken
    await sync.idle()
    const page = await run(() => classroom.request('whiteboard:page', { pageId }))
    if (!page || token !== loadToken) return
    await showPage(page.pageId, page.elements, false)
  }

  function reloadPage() {
    if (state.pageId && api) loadPage(state.pageId)
  }

  function applyBoard(board: WbBoardState, load = true) {
    const wasFollowing = following.value
    state.board = board
    sync.readOnly = !canDraw.value
    if (load && api && board.currentPageId !== sync.pageId) loadPage(board.currentPageId)
    else if (load && !api) state.pageId = board.currentPageId
    if (following.value && !wasFollowing) {
      state.detached = false
      if (board.viewport) followTo(board.viewport, true)
    }
    if (!following.value) state.teacherViewport = null
  }

  /* ------------------------------------------------------------------ follow the teacher */

  /** Students: fit the teacher's visible area into this canvas. */
  function followTo(viewport: WbViewport, force = false) {
    state.teacherViewport = viewport
    if (!api || !following.value) return
    if (state.detached && !locked.value && !force) return
    if (force) state.detached = false
    const appState = api.getAppState()
    const target = fitViewport(viewport, appState.width, appState.height)
    applied = target
    api.updateScene({
      appState: { scrollX: target.scrollX, scrollY: target.scrollY, zoom: { value: target.zoom as never } },
      captureUpdate: runtime?.CaptureUpdateAction.NEVER,
    })
  }

  function followAgain() {
    if (state.teacherViewport) followTo(state.teacherViewport, true)
  }

  const sendViewport = throttle((viewport: WbViewport) => {
    lastSentViewport = viewport
    classroom.request('whiteboard:viewport', viewport).catch(() => {})
  }, 100)

  /* Deferred: Excalidraw calls onChange while committing a render, scene updates belong after it. */
  let refollowTimer: ReturnType<typeof setTimeout> | null = null
  function refollowSoon(force: boolean) {
    if (refollowTimer) return
    refollowTimer = setTimeout(() => {
      refollowTimer = null
      if (state.teacherViewport) followTo(state.teacherViewport, force)
    }, 30)
  }

  /* ------------------------------------------------------------------ Excalidraw callbacks */

  function handleChange(appState: SyncAppState) {
    sync.handleChange(appState)
    const view = state.view
    if (
      view.scrollX !== appState.scrollX ||
      view.scrollY !== appState.scrollY ||
      view.zoom !== appState.zoom.value ||
      view.width !== appState.width ||
      view.height !== appState.height
    ) {
      const resized = view.width !== appState.width || view.height !== appState.height
      state.view = { scrollX: appState.scrollX, scrollY: appState.scrollY, zoom: appState.zoom.value, width: appState.width, height: appState.height }
      onViewChanged(appState, resized)
    }
    const laser = (appState.activeTool as { type?: string } | undefined)?.type === 'laser'
    if (laser !== state.laser) state.laser = laser
  }

  function onViewChanged(appState: SyncAppState, resized: boolean) {
    if (isTeacher.value) {
      if (state.board?.follow.enabled) {
        const viewport = viewportOf(appState)
        if (!sameViewport(lastSentViewport, viewport)) sendViewport(viewport)
      }
      return
    }
    if (!following.value || !state.teacherViewport) return
    const moved =
      !applied ||
      Math.abs(applied.scrollX - appState.scrollX) > 0.5 ||
      Math.abs(applied.scrollY - appState.scrollY) > 0.5 ||
      Math.abs(applied.zoom - appState.zoom.value) > 0.001
    if (resized) refollowSoon(false)
    else if (moved && locked.value) refollowSoon(true)
    else if (moved) state.detached = true
  }

  const sendCursor = throttle((x: number, y: number, laser: boolean) => {
    classroom.request('whiteboard:cursor', { x, y, laser }).catch(() => {})
  }, 50)

  function handlePointer(update: PointerUpdate) {
    if (!classroom.state.connected) return
    if (!isTeacher.value && !canDraw.value) return
    sendCursor(update.pointer.x, update.pointer.y, isTeacher.value && (update.pointer.tool === 'laser' || state.laser))
  }

  function attach(excalidrawApi: ExcalidrawImperativeAPI, rt: ExcalidrawRuntime) {
    api = excalidrawApi
    runtime = rt
    sync.configure({
      reconcile: (local, remote, appState) => rt.reconcileElements(local as never, remote as never, appState as never) as unknown as WbElement[],
      prepare: (elements) => rt.restoreElements(elements as never, null) as unknown as WbElement[],
      captureNever: rt.CaptureUpdateAction.NEVER,
    })
    sync.attach(excalidrawApi as unknown as SceneApi)
    window.__aulaWhiteboard = { api: excalidrawApi, sync, store, request: classroom.request }
    open()
  }

  function detach() {
    sync.detach()
    api = null
    state.cursors = {}
    if (window.__aulaWhiteboard?.sync === sync) delete window.__aulaWhiteboard
  }

  /* ------------------------------------------------------------------ server events */

  classroom.onJoined(() => open())
  classroom.on('whiteboard:board', (board) => applyBoard(board))
  classroom.on('whiteboard:elements', ({ pageId, elements, grown }) => {
    const missing = sync.applyRemote(pageId, elements, grown)
    if (missing.length) void fetchMissing(pageId, missing)
  })
  /** Finished strokes whose growth we did not see in full: take them from the server's page. */
  async function fetchMissing(pageId: string, ids: string[]) {
    try {
      const page = await classroom.request('whiteboard:page', { pageId })
      sync.applyRemote(pageId, page.elements.filter((e) => ids.includes(e.id)))
    } catch {
      /* the page is gone or we moved on; the next open reloads it */
    }
  }
  const myRoom = () => classroom.state.you?.room ?? 'main'
  /* Stroke growth of the room, batched by the server (~25 ms); our own strokes are skipped. */
  classroom.on('whiteboard:strokes', (batch) => {
    if (batch.room && batch.room !== myRoom()) return
    sync.applyStrokes(expandStrokeBatch(batch, sync.strokeHandles).filter((s) => s.userId !== me()))
  })
  classroom.on('whiteboard:viewport', (viewport) => {
    if (!isTeacher.value) followTo(viewport)
  })
  /* Teachers get students' cursors of every room: show those of our room only. */
  classroom.on('whiteboard:cursors', ({ room, cursors }) => {
    if (room && room !== myRoom()) return
    const now = Date.now()
    const next = { ...state.cursors }
    for (const cursor of cursors) if (cursor.userId !== me()) next[cursor.userId] = { ...cursor, at: now }
    state.cursors = next
  })
  setInterval(() => {
    const now = Date.now()
    const stale = Object.values(state.cursors).filter((c) => now - c.at > CURSOR_TTL_MS)
    if (!stale.length) return
    const next = { ...state.cursors }
    for (const cursor of stale) delete next[cursor.userId]
    state.cursors = next
  }, 1000)

  /* ------------------------------------------------------------------ teacher actions */

  async function switchPage(pageId: string) {
    if (pageId === state.pageId) return
    const ok = await run(() => classroom.request('whiteboard:page_switch', { pageId }))
    if (ok === undefined) return
    if (state.board && state.board.currentPageId !== pageId) state.board.currentPageId = pageId
    if (sync.pageId !== pageId) await loadPage(pageId)
  }

  async function addPage() {
    state.busy = true
    try {
      const added = await run(() => classroom.request('whiteboard:page_add', {}))
      if (!added) return
      mergePages([added.page])
      await switchPage(added.page.id)
    } finally {
      state.busy = false
    }
  }

  function mergePages(pages: WbPage[]) {
    if (!state.board) return
    const known = new Set(state.board.pages.map((p) => p.id))
    const fresh = pages.filter((p) => !known.has(p.id))
    if (fresh.length) state.board.pages = [...state.board.pages, ...fresh].sort((a, b) => a.position - b.position)
  }

  async function uploadDeck(file: File) {
    const sessionId = classroom.state.session?.id
    if (!sessionId) return
    if (file.type && file.type !== 'application/pdf') {
      state.error = i18n.global.t('whiteboard.pdfOnly')
      return
    }
    state.busy = true
    try {
      const uploaded = await run(() => postDeck(sessionId, file, classroom.state.you?.room ?? 'main'))
      if (!uploaded?.pages.length) return
      mergePages(uploaded.pages)
      flash(i18n.global.t('whiteboard.slidesAdded', { count: uploaded.pages.length, file: file.name }, uploaded.pages.length))
      await switchPage(uploaded.pages[0].id)
    } finally {
      state.busy = false
    }
  }

  async function setFollow(enabled: boolean, lockedMode: boolean) {
    const ok = await run(() => classroom.request('whiteboard:follow', { enabled, locked: enabled && lockedMode }))
    if (ok === undefined) return
    if (state.board) state.board.follow = { enabled, locked: enabled && lockedMode }
    if (enabled && api) {
      const viewport = viewportOf(api.getAppState() as unknown as SyncAppState)
      lastSentViewport = viewport
      classroom.request('whiteboard:viewport', viewport).catch(() => {})
    }
  }

  async function setPen(target: number | 'all', granted: boolean) {
    const payload = target === 'all' ? { all: true, granted } : { userId: target, granted }
    await run(() => classroom.request('whiteboard:pen', payload))
  }

  async function loadRoomBoards() {
    const result = await run(() => classroom.request('whiteboard:room_boards', {}))
    state.roomBoards = result?.rooms ?? []
  }

  async function pull(room: string) {
    state.busy = true
    try {
      const pulled = await run(() => classroom.request('whiteboard:pull', { room }))
      if (!pulled?.pages.length) return
      mergePages(pulled.pages)
      flash(i18n.global.t('whiteboard.pagesPulled', { count: pulled.pages.length, room }, pulled.pages.length))
      state.roomBoards = null
      await switchPage(pulled.pages[0].id)
    } finally {
      state.busy = false
    }
  }

  function toggleLaser() {
    if (!api) return
    api.setActiveTool({ type: state.laser ? 'selection' : 'laser' })
  }

  const store = {
    state,
    sync,
    isTeacher,
    canDraw,
    currentPage,
    following,
    locked,
    attach,
    detach,
    handleChange,
    handlePointer,
    switchPage,
    addPage,
    uploadDeck,
    setFollow,
    setPen,
    loadRoomBoards,
    pull,
    toggleLaser,
    followAgain,
    reload: open,
  }
  return store
}
