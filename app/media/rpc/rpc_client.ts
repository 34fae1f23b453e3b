import { connect, type Socket } from 'node:net'
import { EventEmitter } from 'node:events'
import type { Frame, ParamsOf, ResultOf, RpcEventName, RpcEvents, RpcMethod } from '#app/media/rpc/contract'
import { onFrames, sendFrame, signNonce } from '#app/media/rpc/framing'
import { RpcError, RpcTimeoutError } from '#app/media/rpc/errors'

export interface RpcClientOptions {
  url: string
  secret: string
  timeoutMs?: number
  reconnect?: boolean
}

interface Pending {
  resolve(value: unknown): void
  reject(error: Error): void
  timer: NodeJS.Timeout
}

/**
 * Web-side connection to one sidecar: authenticates with the shared secret,
 * correlates requests, times them out, and reconnects with backoff.
 * Emits 'ready' (after every successful (re)connection), 'down', and the sidecar's events.
 */
export class RpcClient extends EventEmitter {
  #socket: Socket | null = null
  #ready = false
  #closed = false
  #nextId = 1
  #pending = new Map<number, Pending>()
  #backoffMs = 200
  sidecarId: string | null = null

  constructor(private options: RpcClientOptions) {
    super()
    this.setMaxListeners(100)
  }

  get url() {
    return this.options.url
  }

  get ready() {
    return this.#ready
  }

  /** Connects once; resolves when authenticated, rejects on refusal or network error. */
  start() {
    return new Promise<void>((resolve, reject) => {
      const onReady = () => {
        this.off('refused', onRefused)
        resolve()
      }
      const onRefused = (error: Error) => {
        this.off('ready', onReady)
        reject(error)
      }
      this.once('ready', onReady)
      this.once('refused', onRefused)
      this.#open()
    })
  }

  #open() {
    if (this.#closed) return
    const { hostname, port } = new URL(this.options.url)
    const socket = connect({ host: hostname, port: Number(port) })
    this.#socket = socket
    socket.setNoDelay(true)
    onFrames(socket, (frame) => this.#onFrame(socket, frame))
    socket.on('error', (error) => {
      if (!this.#ready) this.emit('connect_error', error)
    })
    socket.on('close', () => this.#onClose(socket))
  }

  #onFrame(socket: Socket, frame: Frame) {
    switch (frame.type) {
      case 'challenge':
        sendFrame(socket, { type: 'auth', nonce: frame.nonce, hmac: signNonce(this.options.secret, frame.nonce) })
        return
      case 'ready':
        this.#ready = true
        this.#backoffMs = 200
        this.sidecarId = frame.sidecarId
        this.emit('ready')
        return
      case 'refused':
        this.#closed = true
        this.emit('refused', new RpcError('unauthenticated', frame.message))
        socket.destroy()
        return
      case 'res': {
        const pending = this.#pending.get(frame.id)
        if (!pending) return
        this.#pending.delete(frame.id)
        clearTimeout(pending.timer)
        if (frame.ok) pending.resolve(frame.result)
        else pending.reject(new RpcError(frame.error.code, frame.error.message))
        return
      }
      case 'event':
        this.emit(frame.name, frame.data)
        return
    }
  }

  #onClose(socket: Socket) {
    if (socket !== this.#socket) return
    const wasReady = this.#ready
    this.#ready = false
    this.#socket = null
    for (const [id, pending] of this.#pending) {
      clearTimeout(pending.timer)
      pending.reject(new RpcError('disconnected', 'Media sidecar connection lost'))
      this.#pending.delete(id)
    }
    if (wasReady) this.emit('down')
    if (this.#closed || this.options.reconnect === false) return
    setTimeout(() => this.#open(), this.#backoffMs).unref()
    this.#backoffMs = Math.min(this.#backoffMs * 2, 2000)
  }

  call<M extends RpcMethod>(method: M, params: ParamsOf<M>, timeoutMs = this.options.timeoutMs ?? 5000): Promise<ResultOf<M>> {
    if (!this.#socket || !this.#ready) {
      return Promise.reject(new RpcError('disconnected', `Media sidecar ${this.options.url} is not connected`))
    }
    const id = this.#nextId++
    const socket = this.#socket
    return new Promise<ResultOf<M>>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id)
        reject(new RpcTimeoutError(method, timeoutMs))
      }, timeoutMs)
      this.#pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer })
      sendFrame(socket, { type: 'req', id, method, params })
    })
  }

  onEvent<E extends RpcEventName>(event: E, listener: (data: RpcEvents[E]) => void) {
    this.on(event, listener)
    return () => this.off(event, listener)
  }

  close() {
    this.#closed = true
    this.#socket?.destroy()
  }
}
