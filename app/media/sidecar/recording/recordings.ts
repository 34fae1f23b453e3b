import { join, resolve } from 'node:path'
import type { Disk } from 'flydrive'
import type { RpcMethods } from '#app/media/rpc/contract'
import { RpcError } from '#app/media/rpc/errors'
import { BoardRenderer } from './board_renderer.js'
import { ClassRecorder, type RoomView } from './class_recorder.js'
import { SpoolUploader } from './spool_uploader.js'
import { killStaleRenderers } from './stale_renderers.js'
import { hlsDirOf, removeHlsDir } from '../hls/hls_files.js'

export type RecordingMethod = Extract<keyof RpcMethods, `recording.${string}` | 'debug.recordingKill'>
type Handlers = { [M in RecordingMethod]: (params: RpcMethods[M]['params']) => Promise<RpcMethods[M]['result']> }

/** Every class recording of this sidecar, the shared board renderer and the spool uploader. */
export class Recordings {
  readonly renderer: BoardRenderer
  readonly uploader: SpoolUploader
  #recorders = new Map<string, ClassRecorder>()

  constructor(
    private spool: string,
    disk: Disk,
    private roomView: (roomKey: string) => RoomView | null,
    private log: (message: string) => void,
    private testMethods = false
  ) {
    this.renderer = new BoardRenderer(join(spool, 'cache'), log)
    this.uploader = new SpoolUploader(spool, disk, log)
  }

  /** Ends what an earlier sidecar of this spool left running (its board renderer), then uploads what it left in the spool. */
  async start() {
    await killStaleRenderers(resolve(this.renderer.cacheDir), this.log)
    return this.uploader.start()
  }

  get active() {
    return [...this.#recorders.values()].filter((r) => r.state === 'recording').length
  }

  #recorder(recordingKey: string) {
    const recorder = this.#recorders.get(recordingKey)
    if (!recorder) throw new RpcError('not_found', `No recording ${recordingKey} on this sidecar`)
    return recorder
  }

  /** The room's router is about to close (class end): finish its recordings' last parts first. */
  async stopRoom(roomKey: string) {
    await Promise.all([...this.#recorders.values()].filter((r) => r.options.roomKey === roomKey).map((r) => r.stop()))
  }

  async stopAll(flushMs = 10_000) {
    await Promise.all([...this.#recorders.values()].map((r) => r.stop()))
    await Promise.all([...this.#recorders.keys()].map((key) => this.uploader.flush(key, flushMs)))
    this.uploader.stop()
    await this.renderer.close()
  }

  readonly handlers: Handlers = {
    'recording.start': async ({ recordingKey, roomKey, width, height, teacherUserIds }) => {
      if (!/^[\w-]{8,64}$/.test(recordingKey)) throw new RpcError('invalid', 'recordingKey must be 8–64 letters, digits, - or _')
      if (![1280, 1920].includes(width) || height !== (width * 9) / 16) throw new RpcError('invalid', 'Recordings are 1280×720 or 1920×1080')
      const existing = this.#recorders.get(recordingKey)
      if (existing?.state === 'recording') return { started: false, parts: existing.parts }
      if (!this.roomView(roomKey)) throw new RpcError('not_found', `No media room ${roomKey}`)
      const recorder = new ClassRecorder({
        recordingKey,
        roomKey,
        width,
        height,
        teacherUserIds,
        spool: this.spool,
        room: () => this.roomView(roomKey),
        renderer: this.renderer,
        uploader: this.uploader,
        log: this.log,
        hlsDir: hlsDirOf(join(this.spool, 'hls'), roomKey),
      })
      this.#recorders.set(recordingKey, recorder)
      await recorder.start()
      this.renderer.warm()
      return { started: true, parts: recorder.parts }
    },
    'recording.board': async ({ recordingKey, scene, takenAt }) => {
      this.#recorder(recordingKey).setBoard(scene, takenAt)
      return null
    },
    'recording.stop': async ({ recordingKey }) => {
      const recorder = this.#recorders.get(recordingKey)
      await recorder?.stop()
      if (recorder) await removeHlsDir(hlsDirOf(join(this.spool, 'hls'), recorder.options.roomKey))
      const uploaded = await this.uploader.flush(recordingKey)
      this.#recorders.delete(recordingKey)
      return { parts: recorder?.parts ?? [], uploaded }
    },
    'recording.status': async ({ recordingKey }) => ({ ...this.#recorder(recordingKey).status(), rendererPid: this.renderer.pid }),
    'recording.list': async () => ({ recordingKeys: [...this.#recorders.keys()] }),
    'debug.recordingKill': async ({ recordingKey, what }) => {
      if (!this.testMethods) throw new RpcError('not_found', 'Unknown method debug.recordingKill')
      const recorder = this.#recorder(recordingKey)
      if (what === 'encoder') recorder.killEncoder()
      else if (what === 'decoders') recorder.killDecoders()
      else this.renderer.kill()
      return null
    },
  }
}
