import { createServer, type Server, type Socket } from 'node:net'
import { randomBytes } from 'node:crypto'
import type { Frame, RpcEventName, RpcEvents, RpcMethod } from '#app/media/rpc/contract'
import { onFrames, sendFrame, verifyNonce } from '#app/media/rpc/framing'
import { RpcError } from '#app/media/rpc/errors'
import type { MediaRooms } from '#app/media/sidecar/media_rooms'
import type { Recordings } from '#app/media/sidecar/recording/recordings'
import type { HlsHandlers } from '#app/media/sidecar/hls/hls_handlers'

const AUTH_TIMEOUT_MS = 3000

/** The sidecar's end of the RPC: challenge/response auth, then requests and broadcast events. */
export class RpcServer {
  #server: Server | null = null
  #clients = new Set<Socket>()
  rooms!: MediaRooms
  recordings!: Recordings
  hls!: HlsHandlers

  constructor(private secret: string) {}

  broadcast<E extends RpcEventName>(event: E, data: RpcEvents[E]) {
    for (const socket of this.#clients) sendFrame(socket, { type: 'event', name: event, data })
  }

  listen(host: string, port: number) {
    this.#server = createServer((socket) => this.#accept(socket))
    return new Promise<void>((resolve, reject) => {
      this.#server!.once('error', reject)
      this.#server!.listen(port, host, () => resolve())
    })
  }

  #accept(socket: Socket) {
    socket.setNoDelay(true)
    const nonce = randomBytes(16).toString('hex')
    let authenticated = false
    const timer = setTimeout(() => socket.destroy(), AUTH_TIMEOUT_MS)
    sendFrame(socket, { type: 'challenge', nonce })
    socket.on('error', () => {})
    socket.on('close', () => {
      clearTimeout(timer)
      this.#clients.delete(socket)
    })
    onFrames(socket, (frame) => {
      if (!authenticated) {
        if (frame.type === 'auth' && frame.nonce === nonce && verifyNonce(this.secret, nonce, frame.hmac)) {
          authenticated = true
          clearTimeout(timer)
          this.#clients.add(socket)
          sendFrame(socket, { type: 'ready', sidecarId: this.rooms.sidecarId })
        } else {
          sendFrame(socket, { type: 'refused', message: 'Media RPC authentication failed: wrong secret' })
          socket.end()
        }
        return
      }
      if (frame.type === 'req') this.#handle(socket, frame)
    })
  }

  async #handle(socket: Socket, frame: Extract<Frame, { type: 'req' }>) {
    const tables = [this.rooms.handlers, this.recordings.handlers, this.hls.handlers] as Record<string, ((params: any) => Promise<unknown>) | undefined>[]
    const handler = tables.map((table) => (Object.hasOwn(table, frame.method) ? table[frame.method] : undefined)).find(Boolean)
    try {
      if (!handler) throw new RpcError('not_found', `Unknown method ${frame.method as RpcMethod}`)
      if (typeof frame.params !== 'object' || frame.params === null) throw new RpcError('invalid', 'params must be an object')
      const result = await handler(frame.params)
      sendFrame(socket, { type: 'res', id: frame.id, ok: true, result: result ?? null })
    } catch (error) {
      const code = error instanceof RpcError ? error.code : error instanceof TypeError ? 'invalid' : 'internal'
      sendFrame(socket, { type: 'res', id: frame.id, ok: false, error: { code, message: (error as Error).message } })
    }
  }

  close() {
    for (const socket of this.#clients) socket.destroy()
    return new Promise<void>((resolve) => (this.#server ? this.#server.close(() => resolve()) : resolve()))
  }
}
