import { readFile } from 'node:fs/promises'
import type { BoardSnapshot } from '#app/plugins/api'
import WhiteboardFile from './models/whiteboard_file.js'
import type { WhiteboardService } from './whiteboard_service.js'

/** The page a room's board shows right now, for the stage's board contract (the recording renders it). */
export async function boardSnapshot(service: WhiteboardService, sessionId: number, room: string): Promise<BoardSnapshot | null> {
  const { boards } = service
  if (!(await boards.rooms(sessionId)).includes(room)) return null
  const board = await boards.board(sessionId, room, false)
  const page = board.pages.find((p) => p.id === board.currentPageId)
  if (!page) return null
  const elements = await boards.scenes.liveElements({ sessionId, room, pageId: page.id })
  const fileIds = new Set(elements.map((e) => e.fileId).filter((id): id is string => typeof id === 'string'))
  const files = [...fileIds].map((id) => ({
    id,
    mimeType: 'image/png',
    async load() {
      const file = await WhiteboardFile.query().where({ fileKey: id, classSessionId: sessionId }).firstOrFail()
      return readFile(file.path)
    },
  }))
  return { pageId: page.id, title: page.title, elements, files }
}
