import type { HttpContext } from '@adonisjs/core/http'
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { reviewableSessions, sessionToReview, notFound, type BoardSession } from '../access.js'
import WhiteboardPage from '../models/whiteboard_page.js'
import WhiteboardFile from '../models/whiteboard_file.js'
import type { PluginHost } from '#app/plugins/api'
import type { WbBoardList, WbBoardListItem, WbReview } from '../events.js'

const toItem = (session: BoardSession, pageCount: number): WbBoardListItem => ({
  sessionId: session.id,
  title: session.title,
  courseName: session.courseName,
  status: session.status,
  startedAt: session.startedAt,
  endedAt: session.endedAt,
  pageCount,
})

/** Read-only boards after class, and the slide images they show. */
export class BoardsController {
  constructor(private host: Pick<PluginHost, 'classes'>) {}

  async index({ auth }: HttpContext): Promise<WbBoardList> {
    const sessions = await reviewableSessions(auth.getUserOrFail())
    const counts = new Map<number, number>()
    if (sessions.length) {
      const rows = await WhiteboardPage.query()
        .whereIn('class_session_id', sessions.map((s) => s.id))
        .select('class_session_id')
        .count('* as total')
        .groupBy('class_session_id')
      for (const row of rows) counts.set(row.classSessionId, Number(row.$extras.total))
    }
    return { boards: sessions.map((s) => toItem(s, counts.get(s.id) ?? 0)) }
  }

  async show({ auth, params }: HttpContext): Promise<WbReview> {
    const session = await sessionToReview(auth.getUserOrFail(), params.sessionId)
    const pages = await WhiteboardPage.query().where('class_session_id', session.id).orderBy('room').orderBy('position')
    const names = await this.host.classes.roomNames(session.id)
    const rooms = new Map<string, WbReview['rooms'][number]>()
    for (const row of pages) {
      const room = rooms.get(row.room) ?? { room: row.room, name: names[row.room] ?? null, pages: [] }
      room.pages.push({ ...row.toPage(), elements: row.elements.filter((e) => !e.isDeleted) })
      rooms.set(row.room, room)
    }
    const ordered = [...rooms.values()].sort((a, b) => (a.room === 'main' ? -1 : b.room === 'main' ? 1 : a.room.localeCompare(b.room)))
    return { session: toItem(session, pages.length), rooms: ordered }
  }

  async file({ auth, params, response }: HttpContext) {
    const user = auth.getUserOrFail()
    const file = await WhiteboardFile.query().where({ fileKey: String(params.fileId), schoolId: user.schoolId }).first()
    if (!file) throw notFound()
    await sessionToReview(user, file.classSessionId)
    const info = await stat(file.path).catch(() => null)
    if (!info) throw notFound()
    response.header('Content-Type', file.mimeType)
    response.header('Content-Length', String(info.size))
    response.header('Cache-Control', 'private, max-age=86400, immutable')
    return response.stream(createReadStream(file.path))
  }
}
