import type { RpcMethods } from '#app/media/rpc/contract'
import { RpcError } from '#app/media/rpc/errors'
import type { WorkerTriggers } from './worker_triggers.js'
import { contentTypeOf, hlsDirOf, playlistFresh, readHlsFile } from './hls_files.js'

export type HlsMethod = Extract<keyof RpcMethods, `hls.${string}` | 'debug.cpu'>
type Handlers = { [M in HlsMethod]: (params: RpcMethods[M]['params']) => Promise<RpcMethods[M]['result']> }

const share = (value: unknown, name: string) => {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1) throw new RpcError('invalid', `${name} must be a number in 0..1`)
  return value
}
const windowMs = (value: unknown, name: string) => {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 3_600_000) throw new RpcError('invalid', `${name} must be whole ms in 0..3600000`)
  return value
}

/** The sidecar's HLS methods: the per-worker load trigger (and, with the encoder, the stream's files). */
export class HlsHandlers {
  constructor(
    private triggers: WorkerTriggers,
    /** The pool index and pid of the worker hosting a room, null when the room does not exist. */
    private workerOf: (roomKey: string) => { index: number; pid: number } | null,
    /** Folder of the live streams (`<MEDIA_RECORDING_SPOOL>/hls`). */
    private root: string,
    private testMethods = false
  ) {}

  readonly handlers: Handlers = {
    'hls.trigger': async (params) => {
      const worker = this.workerOf(params.roomKey)
      if (!worker) throw new RpcError('not_found', `No media room ${params.roomKey}`)
      const state = this.triggers.state(worker.index, {
        enterAt: share(params.enterAt, 'enterAt'),
        enterForMs: windowMs(params.enterForMs, 'enterForMs'),
        leaveBelow: share(params.leaveBelow, 'leaveBelow'),
        leaveForMs: windowMs(params.leaveForMs, 'leaveForMs'),
      })
      return { ...state, workerPid: worker.pid }
    },
    'hls.status': async ({ roomKey }) => ({ available: typeof roomKey === 'string' && (await playlistFresh(hlsDirOf(this.root, roomKey))) }),
    'hls.read': async ({ roomKey, file }) => {
      if (typeof roomKey !== 'string' || typeof file !== 'string') throw new RpcError('invalid', 'roomKey and file must be strings')
      const body = await readHlsFile(hlsDirOf(this.root, roomKey), file)
      if (!body) throw new RpcError('not_found', `No ${file} in the stream of ${roomKey}`)
      return { base64: body.toString('base64'), contentType: contentTypeOf(file) }
    },
    'debug.cpu': async ({ cpu }) => {
      if (!this.testMethods) throw new RpcError('not_found', 'Unknown method debug.cpu')
      this.triggers.override = cpu === null ? null : share(cpu, 'cpu')
      return null
    },
  }
}
