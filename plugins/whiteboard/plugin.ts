import { definePlugin } from '#app/plugins/api'
import { whiteboardSettings } from './settings.js'
import { WhiteboardService } from './whiteboard_service.js'
import { registerWhiteboardHandlers } from './realtime.js'
import { registerWhiteboardRoutes } from './routes.js'
import { boardSnapshot } from './board_snapshot.js'
import './events.js'

export default definePlugin({
  manifest: {
    id: 'whiteboard',
    name: 'Whiteboard',
    description:
      'A shared Excalidraw board with pages, PDF slides, follow-the-teacher, pen grants and a laser pointer; boards are kept for review after class.',
    version: '1.0.0',
    settings: whiteboardSettings,
    permissions: ['realtime:session', 'db:own-tables', 'events:lifecycle', 'http:routes', 'ui:classroom', 'ui:dashboard'],
  },
  setup(host) {
    const service = new WhiteboardService(host)
    registerWhiteboardHandlers(service)
    registerWhiteboardRoutes(service)
    host.classes.provideBoardSnapshots((sessionId, room) => boardSnapshot(service, sessionId, room))

    host.events.on('class:ended', ({ sessionId }) => service.endClass(sessionId))
    host.onShutdown(() => service.flushBuffered())
    host.events.on('breakouts:opened', async ({ sessionId, schoolId, rooms, copyMainWhiteboard }) => {
      for (const room of rooms) {
        if (copyMainWhiteboard) await service.seedFromMain(sessionId, schoolId, room.key)
        else await service.ensure({ sessionId, schoolId, room: room.key })
      }
    })
  },
})
