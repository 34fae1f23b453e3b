import env from '#start/env'
import { mediaRpcSecret } from '#app/media/secret'

/*
| Web side of the media sidecars. The sidecar itself reads plain process.env
| (app/media/sidecar/config.ts) so it can run without booting the app.
*/
const mediaConfig = {
  /** RPC URLs of the sidecars; the embedded default is the local sidecar on MEDIA_RPC_PORT. */
  sidecars: (env.get('MEDIA_SIDECARS') || `tcp://127.0.0.1:${env.get('MEDIA_RPC_PORT') ?? 4443}`)
    .split(',')
    .map((url) => url.trim())
    .filter(Boolean),
  secret: mediaRpcSecret({ MEDIA_RPC_SECRET: env.get('MEDIA_RPC_SECRET'), APP_KEY: env.get('APP_KEY') }),
  timeoutMs: 5000,
}

export default mediaConfig
