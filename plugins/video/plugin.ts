import { definePlugin } from '#app/plugins/api'
import { videoSettings } from './settings.js'
import { registerVideoHandlers } from './realtime.js'
import { registerHlsRoutes } from './hls_routes.js'

export default definePlugin({
  manifest: {
    id: 'video',
    name: 'Video & audio',
    description: 'Live video, audio and screen sharing through the media sidecars (SFU), with teacher controls.',
    version: '1.0.0',
    settings: videoSettings,
    permissions: ['realtime:session', 'media:rooms', 'db:own-tables', 'events:lifecycle', 'http:routes', 'ui:classroom'],
  },
  setup(host) {
    registerVideoHandlers(host)
    registerHlsRoutes(host)
  },
})
