/*
| The whiteboard plugin's additions to the typed realtime event map and the event bus.
| One contract for the server handlers (realtime.ts) and the Vue client (ui/).
|
| Boards are keyed by (class session, room, page): the room is the socket's current room
| ('main' or a breakout room), so every breakout room has its own board automatically.
*/

/** An Excalidraw element as sent over the wire; the server only reads the fields named here. */
export interface WbElement {
  id: string
  type: string
  version: number
  versionNonce: number
  isDeleted: boolean
  [field: string]: unknown
}

export interface WbBackground {
  /** Excalidraw file id of the slide image (element `fileId`). */
  fileId: string
  /** Where the client fetches the PNG (same-origin, authorised). */
  url: string
  mimeType: 'image/png'
  width: number
  height: number
}

export interface WbPage {
  id: string
  title: string
  position: number
  background: WbBackground | null
}

export interface WbViewport {
  scrollX: number
  scrollY: number
  zoom: number
  width: number
  height: number
}

export interface WbBoardState {
  room: string
  pages: WbPage[]
  currentPageId: string
  /** Students draw only when penForAll or listed in penUserIds; teachers always may. */
  penForAll: boolean
  penUserIds: number[]
  /** Follow-teacher mode: students' viewports fit the teacher's; locked = they cannot scroll away. */
  follow: { enabled: boolean; locked: boolean }
  viewport: WbViewport | null
}

export interface WbCursor {
  userId: number
  name: string
  role: 'teacher' | 'student'
  x: number
  y: number
  laser: boolean
}

/**
 * A freehand stroke another user started. `handle` names it in the growth tuples that follow
 * (shorter than the element id); `element` carries only what is needed to draw it — the
 * client fills in Excalidraw's defaults — with its first points.
 */
export interface WbStrokeStart {
  handle: number
  by: number
  element: WbElement
}

/** Points appended to a stroke, flat: [handle, x1, y1, x2, y2, …] (relative to the element's x/y). */
export type WbStrokeGrowth = number[]

/** Breakout rooms (other than the caller's) that have drawn pages, for "pull into main". */
export interface WbRoomBoard {
  room: string
  pages: { id: string; title: string; elementCount: number }[]
}

declare module '#app/realtime/events' {
  interface ClientEvents {
    /** Board state of the caller's room plus the full current page (late join / reconnect). */
    'whiteboard:open': {
      payload: Record<string, never>
      result: { board: WbBoardState; pageId: string; elements: WbElement[] }
    }
    /** The full scene of one page of the caller's room (teachers may name another room). */
    'whiteboard:page': { payload: { pageId: string; room?: string }; result: { pageId: string; elements: WbElement[] } }
    /**
     * Changed elements only. The server merges (higher version wins; tie → lower versionNonce)
     * and forwards the winners to the room. `stale` holds the server's copy of every element
     * where the sender lost, so the sender converges.
     */
    'whiteboard:update': { payload: { pageId: string; elements: WbElement[] }; result: { applied: number; stale: WbElement[] } }
    /** A freehand stroke in progress: only the new points (relative to the element's x/y). */
    'whiteboard:stroke': {
      payload: { pageId: string; elementId: string; points: [number, number][]; start?: WbElement }
      result: null
    }
    /** Pointer position in scene coordinates; laser only counts for teachers. Batched by the server. */
    'whiteboard:cursor': { payload: { x: number; y: number; laser: boolean }; result: null }
    /** Teacher: the visible area, forwarded to the room while follow mode is on. */
    'whiteboard:viewport': { payload: WbViewport; result: null }
    'whiteboard:follow': { payload: { enabled: boolean; locked: boolean }; result: null }
    /** Teacher: grant/revoke the pen for one student (userId) or for all (all: true). */
    'whiteboard:pen': { payload: { userId?: number; all?: boolean; granted: boolean }; result: null }
    'whiteboard:page_add': { payload: { title?: string }; result: { page: WbPage } }
    'whiteboard:page_switch': { payload: { pageId: string }; result: null }
    /** Teacher: the page a room is on right now, for the breakout overview's live thumbnail. */
    'whiteboard:thumbnail': {
      payload: { room: string }
      result: { room: string; page: (WbPage & { elements: WbElement[] }) | null }
    }
    /** Teacher: boards of breakout rooms that can be pulled into the caller's room. */
    'whiteboard:room_boards': { payload: Record<string, never>; result: { rooms: WbRoomBoard[] } }
    /** Teacher: copies pages of another room's board into the caller's room as new pages. */
    'whiteboard:pull': { payload: { room: string; pageIds?: string[] }; result: { pages: WbPage[] } }
  }
  interface ServerEvents {
    /**
     * Elements that won the merge; `by` is the author (the sender does not receive its own).
     * `grown` lists finished freehand strokes sent without their points (`points: []`): every
     * point already went out as stroke growth, in order; a client that has all `n` of them uses
     * its own copy, any other fetches the page.
     */
    'whiteboard:elements': { room: string; pageId: string; elements: WbElement[]; by: number; grown?: Record<string, number> }
    /** Stroke starts and growth of one page, batched every ~25 ms; a client skips starts with its own userId. */
    'whiteboard:strokes': { room: string; pageId: string; starts?: WbStrokeStart[]; growth: WbStrokeGrowth[] }
    /**
     * One message per room per ~50 ms; students get only teachers' cursors. Teachers also get the
     * students' cursors of every room, so a client shows only those whose `room` is its own.
     */
    'whiteboard:cursors': { room: string; cursors: WbCursor[] }
    'whiteboard:viewport': WbViewport
    /** Pages, current page, pen grants or follow mode changed. */
    'whiteboard:board': WbBoardState
  }
}

/** What the whiteboard announces on the host event bus (recording chapters, engagement). */
export type WhiteboardAction = 'draw' | 'erase' | 'page_add' | 'page_switch' | 'deck_upload' | 'pull'

declare module '@adonisjs/core/types' {
  interface EventsList {
    'whiteboard:activity': {
      sessionId: number
      schoolId: number
      room: string
      pageId: string
      userId: number
      action: WhiteboardAction
      elementCount: number
      at: string
    }
  }
}

/*
| HTTP API under /plugins/whiteboard (login, school and plugin-enabled checks by the host):
|   POST /sessions/:sessionId/deck        multipart `deck` (PDF ≤ 25 MB, ≤ 60 pages), optional `room`;
|                                         the class's teacher (or an admin) while the class is live
|                                         → WbDeckUploaded; the room gets 'whiteboard:board'
|   GET  /files/:fileId                   a slide image (PNG) of a class the user may see
|   GET  /boards                          → WbBoardList: classes with whiteboard pages the user may review
|   GET  /sessions/:sessionId/pages       → WbReview: every page of every room, read-only
*/
export interface WbDeckUploaded {
  pages: WbPage[]
}

export interface WbBoardListItem {
  sessionId: number
  title: string
  courseName: string
  status: 'scheduled' | 'live' | 'ended'
  startedAt: string | null
  endedAt: string | null
  pageCount: number
}

export interface WbBoardList {
  boards: WbBoardListItem[]
}

export interface WbReview {
  session: WbBoardListItem
  /** `name`: what the room was called (breakout rooms), null for 'main' and unnamed rooms. */
  rooms: { room: string; name: string | null; pages: (WbPage & { elements: WbElement[] })[] }[]
}
