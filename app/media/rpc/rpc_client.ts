import { connect, type Socket } from 'node:net'
import { EventEmitter } from 'node:events'
import type { Frame, ParamsOf, ResultOf, RpcEventName, RpcEvents, RpcMethod } from '#app/media/rpc/contract'
import { onFrames, sendFrame, signNonce } from '#app/media/rpc/framing'
import { RpcAuthError, RpcDisconnectedError, RpcRemoteError, RpcTimeoutError } from '#app/media/rpc/errors'

export interface RpcClientOptions {
  /** tcp://host:port of a sidecar. */
  url: string
  secret: string
  /** Default per-call timeout. */
  timeoutMs?: number
  /** Reconnect with backoff after a lost connection (default true). */
  reconnect?: boolean
  minBackoffMs?: number
  maxBackoffMs?: number
}

export interface ReadyInfo {
  sidecarId: string
  /** Not the first connection of this client. */
  reconnected: boolean
  /** The sidecar is another process than last time (its rooms are gone). */
  restarted: boolean
}

interface Pending {
  method: string
  resolve(value: unknown): void
  reject(error: Error): void
  timer: NodeJS.Timeout
}

export function parseSidecarUrl(url: string) {
  const parsed = new URL(url)
  if (parsed.protocol !== 'tcp:' || !parsed.port) throw new Error(`Media sidecar URL must look like tcp://host:port, got "${url}"`)
  return { host: parsed.hostname.replace(/^\[|\]$/g, ''), port: Number(parsed.port) }
}

/**
 * Web-side connection to one sidecar: HMAC challenge auth with the shared secret,
 * request ids, per-call timeouts, sidecar events, and reconnection with backoff.
 * Emits 'ready' (ReadyInfo, after every authenticated connection), 'down',
 * 'connect_error', 'refused' and the sidecar's events (see RpcEvents).
 */
export class RpcClient extends EventEmitter {
  #socket: Socket | null = null
  #ready = false
  #closed = false
  #nextId = 1
  #pending = new Map<number, Pending>()
  #backoffMs: number
  #timer: NodeJS.Timeout | null = null
  #everReady = false
  sidecarId: string | null = null

  constructor(private options: RpcClientOptions) {
    super()
    this.setMaxListeners(100)
    this.#backoffMs = options.minBackoffMs ?? 200
    parseSidecarUrl(options.url)
  }

  get url() {
    return this.options.url
  }

  get ready() {
    return this.#ready
  }

  /**
   * Connects; resolves once authenticated. Rejects with RpcAuthError on a wrong secret,
   * or with RpcDisconnectedError if the first attempt fails (reconnection goes on in the background).
   */
  start() {
    return new Promise<void>((resolve, reject) => {
      const settle = (error?: Error) => {
        this.off('ready', onReady)
        this.off('refused', settle)
        this.off('connect_error', onConnectError)
        error ? reject(error) : resolve()
      }
      const onReady = () => settle()
      const onConnectError = (error: Error) =>
        settle(new RpcDisconnectedError(`Cannot reach media sidecar ${this.url}: ${error.message}`))
      this.once('ready', onReady)
      this.once('refused', settle)
      this.once('connect_error', onConnectError)
      if (!this.#socket) this.#open()
    })
  }

  #open() {
    this.#timer = null
    if (this.#closed) return
    const { host, port } = parseSidecarUrl(this.options.url)
    const socket = connect({ host, port })
    this.#socket = socket
    socket.setNoDelay(true)
    socket.setKeepAlive(true, 5000)
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
      case 'ready': {
        const info: ReadyInfo = {
          sidecarId: frame.sidecarId,
          reconnected: this.#everReady,
          restarted: this.#everReady && frame.sidecarId !== this.sidecarId,
        }
        this.#ready = true
        this.#everReady = true
        this.#backoffMs = this.options.minBackoffMs ?? 200
        this.sidecarId = frame.sidecarId
        this.emit('ready', info)
        return
      }
      case 'refused':
        this.#closed = true
        this.emit('refused', new RpcAuthError(this.url, frame.message))
        socket.destroy()
        return
      case 'res': {
        const pending = this.#pending.get(frame.id)
        if (!pending) return
        this.#pending.delete(frame.id)
        clearTimeout(pending.timer)
        if (frame.ok) pending.resolve(frame.result)
        else pending.reject(new RpcRemoteError(frame.error.code, frame.error.message, pending.method))
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
      pending.reject(new RpcDisconnectedError(`Connection to media sidecar ${this.url} lost`))
      this.#pending.delete(id)
    }
    if (wasReady) this.emit('down')
    if (this.#closed || this.options.reconnect === false) return
    const jitter = 0.8 + Math.random() * 0.4
    this.#timer = setTimeout(() => this.#open(), this.#backoffMs * jitter)
    this.#timer.unref()
    this.#backoffMs = Math.min(this.#backoffMs * 2, this.options.maxBackoffMs ?? 2000)
  }

  call<M extends RpcMethod>(method: M, params: ParamsOf<M>, timeoutMs = this.options.timeoutMs ?? 5000): Promise<ResultOf<M>> {
    const socket = this.#socket
    if (!socket || !this.#ready) {
      return Promise.reject(new RpcDisconnectedError(`Media sidecar ${this.url} is not connected`))
    }
    const id = this.#nextId++
    return new Promise<ResultOf<M>>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id)
        reject(new RpcTimeoutError(method, timeoutMs))
      }, timeoutMs)
      this.#pending.set(id, { method, resolve: resolve as (v: unknown) => void, reject, timer })
      sendFrame(socket, { type: 'req', id, method, params })
    })
  }

  onEvent<E extends RpcEventName>(event: E, listener: (data: RpcEvents[E]) => void) {
    this.on(event, listener)
    return () => {
      this.off(event, listener)
    }
  }

  close() {
    this.#closed = true
    if (this.#timer) clearTimeout(this.#timer)
    this.#socket?.destroy()
  }
}
