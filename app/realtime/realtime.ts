import app from '@adonisjs/core/services/app'
import type { RealtimeServer } from '#app/realtime/realtime_server'

/** The process-wide realtime server, bound in the container by RealtimeProvider. */
let realtime: RealtimeServer

await app.booted(async () => {
  realtime = await app.container.make('realtime')
})

export { realtime as default }
