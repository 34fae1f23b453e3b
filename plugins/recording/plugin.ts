import app from '@adonisjs/core/services/app'
import { DateTime } from 'luxon'
import { definePlugin } from '#app/plugins/api'
import { recordingSettings } from './settings.js'
import { RecordingService } from './recording_service.js'
import { BoardFeed } from './board_feed.js'
import { registerRecordingRoutes } from './routes.js'
import { registerRecordingHandlers } from './realtime.js'
import Recording from './models/recording.js'
import './events.js'

export default definePlugin({
  manifest: {
    id: 'recording',
    name: 'Recording',
    description:
      'Records every class automatically (teacher video, whiteboard, screen share, speakers) as one MP4 with chapters, ready soon after class; a playback page for the course.',
    version: '1.0.0',
    settings: recordingSettings,
    permissions: ['realtime:session', 'media:rooms', 'db:own-tables', 'events:lifecycle', 'http:routes', 'ui:classroom', 'ui:dashboard', 'storage:files'],
  },
  setup(host) {
    const service = new RecordingService(host)
    const feed = new BoardFeed(service)
    registerRecordingRoutes(service)
    registerRecordingHandlers(service)

    // The row is written before the class:started listeners return; talking to the sidecar and
    // assembling the MP4 at the end run in the background (the HTTP request that starts or ends
    // the class does not wait for them).
    host.events.on('class:started', async (ref) => {
      const recording = await service.classStarted(ref)
      if (!recording) return
      await feed.firstChapter(recording)
      void service.startOnSidecar(recording)
    })
    host.events.on('class:ended', async (ref) => {
      const recording = await Recording.query().where('classSessionId', ref.sessionId).where('state', 'recording').first()
      if (!recording) return
      feed.forget(recording.id)
      void service.finish(recording, DateTime.fromISO(ref.endedAt)).catch((error) => host.logger.error({ err: error }, 'recording could not be finished'))
    })
    host.events.on('board:changed', (event) => feed.onChanged(event))
    // Switched off mid-class: the running recordings end as recordings of what was captured (in the
    // background, like at class end: the admin's request does not wait for the MP4).
    host.events.on('plugins:settings_changed', ({ schoolId, pluginId }) => {
      if (pluginId !== 'recording') return
      void service.switchedOff(schoolId, (recording) => feed.forget(recording.id)).catch((error) => host.logger.error({ err: error }, 'recordings could not be stopped'))
    })

    // A sidecar came back (restart, failover): its rooms are new, so the class recordings start again as new parts.
    void host.media().then((media) => {
      media.on('roomsRecreated', async (roomKeys: string[]) => {
        for (const roomKey of roomKeys) {
          const match = /^s(\d+):main$/.exec(roomKey)
          if (!match) continue
          const recording = await Recording.query().where('classSessionId', Number(match[1])).where('state', 'recording').first()
          if (recording) await service.startOnSidecar(recording)
        }
      })
    })
    // Boot sweep and periodic sweeps run in web processes only (not in ace commands or the test runner).
    if (app.getEnvironment() === 'web') service.startSweeps()
    host.onShutdown(() => service.stopSweeps())
  },
})
