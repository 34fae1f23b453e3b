import app from '@adonisjs/core/services/app'
import { definePlugin } from '#app/plugins/api'
import { attendanceSettings } from './settings.js'
import { setHost } from './context.js'
import { registerCapture } from './capture.js'
import { afterClass, startScheduler } from './scheduler.js'
import { registerAttendanceRoutes } from './routes.js'

export default definePlugin({
  manifest: {
    id: 'attendance',
    name: 'Attendance',
    description: 'Automatic attendance with active time, threshold e-mails to students and parents, weekly and monthly reports.',
    version: '1.0.0',
    settings: attendanceSettings,
    permissions: ['realtime:session', 'db:own-tables', 'events:lifecycle', 'ui:classroom', 'mail:send', 'http:routes', 'storage:files', 'notify:users'],
  },
  setup(host) {
    setHost(host)
    registerCapture(host)
    registerAttendanceRoutes(host)
    host.events.on('class:ended', async (event) => {
      try {
        await afterClass(host, event.sessionId, event.endedAt)
      } catch (error) {
        // The sweep finalizes it later.
        host.logger.error({ err: error, sessionId: event.sessionId }, 'attendance: finalizing the class failed')
      }
    })
    if (app.getEnvironment() === 'web') {
      const stop = startScheduler(host)
      host.onShutdown(stop)
    }
  },
})
