import { DecksController } from './controllers/decks_controller.js'
import { BoardsController } from './controllers/boards_controller.js'
import { AssetsController } from './controllers/assets_controller.js'
import type { WhiteboardService } from './whiteboard_service.js'

/** HTTP routes under /plugins/whiteboard (login and plugin-enabled checks by the host); see events.ts. */
export function registerWhiteboardRoutes(service: WhiteboardService) {
  const decks = new DecksController(service)
  const boards = new BoardsController(service.host)
  const assets = new AssetsController()
  service.host.routes.define((router) => {
    router.post('/sessions/:sessionId/deck', (ctx) => decks.upload(ctx))
    router.get('/boards', (ctx) => boards.index(ctx))
    router.get('/sessions/:sessionId/pages', (ctx) => boards.show(ctx))
    router.get('/files/:fileId', (ctx) => boards.file(ctx))
    router.get('/assets/*', (ctx) => assets.show(ctx))
  })
}
