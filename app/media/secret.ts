import { createHmac } from 'node:crypto'

/**
 * The shared secret of the media RPC: MEDIA_RPC_SECRET, or (embedded default,
 * one machine) a value derived from APP_KEY so no extra configuration is needed.
 */
export function mediaRpcSecret(env: NodeJS.ProcessEnv = process.env) {
  if (env.MEDIA_RPC_SECRET) return env.MEDIA_RPC_SECRET
  if (!env.APP_KEY) throw new Error('Set MEDIA_RPC_SECRET (or APP_KEY) for the media RPC')
  return createHmac('sha256', env.APP_KEY).update('aula-media-rpc').digest('hex')
}
