import type { HttpContext } from '@adonisjs/core/http'
import { rm } from 'node:fs/promises'
import { randomBytes } from 'node:crypto'
import vine from '@vinejs/vine'
import { mayTeach, sessionToReview } from '../access.js'
import { DeckError, pdfPageCount, renderDeck } from '../deck_renderer.js'
import { slideElement, storeSlides } from '../slides.js'
import { storageDir } from '../storage.js'
import type { WhiteboardService } from '../whiteboard_service.js'
import type { WbDeckUploaded } from '../events.js'

const roomValidator = vine.compile(vine.object({ room: vine.string().regex(/^[\w:-]{1,64}$/).optional() }))

/** PDF decks become whiteboard pages with the slide as a locked background. */
export class DecksController {
  constructor(private service: WhiteboardService) {}

  async upload({ auth, params, request, response }: HttpContext): Promise<WbDeckUploaded | void> {
    const user = auth.getUserOrFail()
    const session = await sessionToReview(user, params.sessionId)
    if (!mayTeach(user, session)) return response.forbidden({ errors: [{ message: 'Only the class’s teacher may upload slides' }] })
    if (session.status !== 'live') return response.conflict({ errors: [{ message: 'Slides can be added while the class is live' }] })
    const { room = 'main' } = await request.validateUsing(roomValidator)

    const deck = request.file('deck', { size: '25mb', extnames: ['pdf'] })
    if (!deck) return response.unprocessableEntity({ errors: [{ field: 'deck', message: 'Choose a PDF file' }] })
    if (!deck.isValid || !deck.tmpPath) {
      return response.unprocessableEntity({ errors: [{ field: 'deck', message: deck.errors[0]?.message ?? 'Invalid file' }] })
    }

    const ref = { sessionId: session.id, schoolId: session.schoolId, room }
    const { maxDeckPages } = await this.service.settings(session.schoolId)
    const workDir = storageDir(String(session.id), `upload-${randomBytes(6).toString('hex')}`)
    try {
      const pageCount = await pdfPageCount(deck.tmpPath)
      if (pageCount > maxDeckPages) {
        return response.unprocessableEntity({
          errors: [{ field: 'deck', message: `The deck has ${pageCount} pages; at most ${maxDeckPages} can be added` }],
        })
      }
      const slides = await renderDeck(deck.tmpPath, workDir)
      const backgrounds = await storeSlides(slides, { sessionId: session.id, schoolId: session.schoolId, dir: storageDir(String(session.id)) })

      await this.service.ensure(ref)
      const base = deck.clientName.replace(/\.pdf$/i, '').slice(0, 80) || 'Slides'
      const pages = []
      for (const [index, background] of backgrounds.entries()) {
        pages.push(await this.service.boards.addPage(ref, `${base} ${index + 1}`, background, [slideElement(background)]))
      }
      await this.service.boards.setCurrent(ref.sessionId, room, pages[0].id)
      this.service.activity.record({ ...ref, pageId: pages[0].id, userId: user.id, action: 'deck_upload', elementCount: pages.length })
      await this.service.announceBoard(ref)
      return { pages }
    } catch (error) {
      if (error instanceof DeckError) return response.unprocessableEntity({ errors: [{ field: 'deck', message: error.message }] })
      throw error
    } finally {
      await rm(workDir, { recursive: true, force: true })
    }
  }
}
