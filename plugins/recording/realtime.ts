import vine from '@vinejs/vine'
import Recording from './models/recording.js'
import type { RecordingService } from './recording_service.js'

export function registerRecordingHandlers(service: RecordingService) {
  service.host.realtime.on('recording:status', {
    validator: vine.compile(vine.object({})),
    async handle({ session }) {
      const recording = await Recording.query().where('classSessionId', session.id).where('state', 'recording').first()
      return { recording: Boolean(recording) }
    },
  })
}
