import { RecordingsController } from './controllers/recordings_controller.js'
import type { RecordingService } from './recording_service.js'

/** HTTP routes under /plugins/recording (login and plugin-enabled checks by the host); see events.ts. */
export function registerRecordingRoutes(service: RecordingService) {
  const recordings = new RecordingsController(service)
  service.host.routes.define((router) => {
    router.get('/recordings', (ctx) => recordings.index(ctx))
    router.get('/recordings/:id', (ctx) => recordings.show(ctx))
    router.get('/recordings/:id/video.mp4', (ctx) => recordings.video(ctx))
    router.get('/recordings/:id/chapters.vtt', (ctx) => recordings.chapters(ctx))
    router.get('/recordings/:id/parts/:part/:file', (ctx) => recordings.segment(ctx))
    router.delete('/recordings/:id', (ctx) => recordings.destroy(ctx))
    router.get('/admin', (ctx) => recordings.admin(ctx))
  })
}
