/*
| The board on a class's stage, as the core sees it: whoever shows a board (the whiteboard
| plugin) announces changes on the event bus and answers snapshots of the page currently shown;
| whoever needs the picture (the recording plugin renders it into the class's video) listens and
| asks. Neither imports the other: both go through the host (host.events, host.classes).
*/

/** One image the page shows (e.g. a PDF slide), loaded only when a reader needs its bytes. */
export interface BoardFileRef {
  /** Excalidraw file id, as in the elements' `fileId`. */
  id: string
  mimeType: string
  load(): Promise<Buffer>
}

/** The page a room's board shows right now. */
export interface BoardSnapshot {
  pageId: string
  title: string
  /** Excalidraw elements without deleted ones. */
  elements: unknown[]
  files: BoardFileRef[]
}

export type BoardSnapshotProvider = (sessionId: number, room: string) => Promise<BoardSnapshot | null>

declare module '@adonisjs/core/types' {
  interface EventsList {
    /**
     * A room's board changed: another page is shown (`pageChanged`: page switch, new page, slides
     * uploaded, pages pulled) or the shown page was drawn on. Carries no scene: ask for a snapshot.
     */
    'board:changed': { sessionId: number; schoolId: number; room: string; pageId: string; pageChanged: boolean; at: string }
  }
}

let provider: BoardSnapshotProvider | null = null

/** The one board of the stage; a later provider replaces an earlier one. */
export function provideBoardSnapshots(next: BoardSnapshotProvider) {
  provider = next
}

/** The page the room's board shows, or null without a board. */
export async function boardSnapshot(sessionId: number, room: string): Promise<BoardSnapshot | null> {
  return provider ? provider(sessionId, room) : null
}
