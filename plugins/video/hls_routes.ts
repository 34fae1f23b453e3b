import vine from '@vinejs/vine'
import type { PluginHost } from '#app/plugins/api'
import { HLS_FILE } from '#app/media/sidecar/hls/hls_files'
import { liveClassFor } from './hls_access.js'
import { HlsFilesCache } from './hls_files_cache.js'
import { mediaRoomKey } from './room_key.js'

const params = vine.compile(
  vine.object({
    id: vine.number().withoutDecimals().positive().max(2 ** 31 - 1),
    file: vine.string().maxLength(64).regex(HLS_FILE),
  })
)

/**
 * GET /plugins/video/classes/:id/hls/:file — the live HLS stream of a class (playlist, init and media
 * segments) for its participants; 404 for everybody else and for anything that is not there.
 */
export function registerHlsRoutes(host: PluginHost<any>) {
  const files = new HlsFilesCache(() => host.media())
  host.routes.define((router) => {
    router.get('/classes/:id/hls/:file', async (ctx) => {
      const user = ctx.auth.getUserOrFail()
      const [error, valid] = await params.tryValidate({ id: ctx.params.id, file: ctx.params.file })
      if (error) return ctx.response.notFound({ error: 'Not found' })
      const live = await liveClassFor(user, valid.id)
      if (!live) return ctx.response.notFound({ error: 'Not found' })
      const file = await files.get(mediaRoomKey(live.id, 'main'), valid.file)
      if (!file) return ctx.response.notFound({ error: 'Not found' })
      ctx.response.header('Content-Type', file.contentType)
      ctx.response.header('Cache-Control', valid.file.endsWith('.m3u8') ? 'no-store' : 'private, max-age=60')
      ctx.response.header('X-Content-Type-Options', 'nosniff')
      return ctx.response.send(file.body)
    })
  })
}
