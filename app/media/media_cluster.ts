import { EventEmitter } from 'node:events'
import { RpcClient, type ReadyInfo } from '#app/media/rpc/rpc_client'
import { RpcDisconnectedError } from '#app/media/rpc/errors'
import type { LoadReport, ParamsOf, ResultOf, RpcEvents, RpcMethod } from '#app/media/rpc/contract'
import type { SharedState } from '#app/realtime/shared_state'

export interface MediaClusterOptions {
  /** Per-call timeout (default 5000 ms). */
  timeoutMs?: number
  /** How long ensureRoom waits for a sidecar when none is connected yet (default 5000 ms). */
  waitForSidecarMs?: number
  /** After a sidecar has been down this long, its rooms move to another connected sidecar (default 3000 ms). */
  failoverAfterMs?: number
}

/** Sidecar events are re-emitted with the sidecar URL as second argument. */
type Forwarded = { [E in keyof RpcEvents]: [data: RpcEvents[E], sidecarUrl: string] }

export type MediaClusterEvents = Forwarded & {
  /** These rooms have new routers (sidecar restart, worker death or failover): browsers must re-negotiate. */
  roomsRecreated: [roomKeys: string[]]
  /** A sidecar connection is back; `roomKeys` are the rooms of this process re-ensured on it. */
  reconnected: [info: { url: string; sidecarId: string; restarted: boolean; roomKeys: string[] }]
  sidecarUp: [url: string]
  sidecarDown: [url: string]
}

const FORWARDED = ['transport.closed', 'producer.closed', 'consumer.closed', 'worker.died', 'room.recreated', 'room.activeSpeaker', 'load.report'] as const
const PLACEMENT_TTL_MS = 24 * 3600_000

/**
 * The web process's view of all media sidecars (MEDIA_SIDECARS). Each room key is
 * placed on the least-loaded connected sidecar and stays there; the placement is
 * kept in shared state so every web process agrees. After a reconnection the rooms
 * this process owns are re-ensured (idempotent); those that had to be created anew
 * are announced with 'roomsRecreated'. Rooms of a sidecar that stays down move to
 * another connected sidecar.
 */
export class MediaCluster extends EventEmitter {
  readonly clients: RpcClient[]
  #loads = new Map<string, LoadReport>()
  #rooms = new Set<string>()
  #failovers = new Map<string, NodeJS.Timeout>()
  #options: Required<MediaClusterOptions>

  constructor(
    urls: string[],
    secret: string,
    private state: SharedState,
    options: MediaClusterOptions = {}
  ) {
    super()
    this.setMaxListeners(100)
    this.#options = { timeoutMs: 5000, waitForSidecarMs: 5000, failoverAfterMs: 3000, ...options }
    if (!urls.length) throw new Error('MediaCluster needs at least one sidecar URL (MEDIA_SIDECARS)')
    this.clients = urls.map((url) => new RpcClient({ url, secret, timeoutMs: this.#options.timeoutMs }))
    for (const client of this.clients) this.#wire(client)
  }

  onEvent<E extends keyof MediaClusterEvents>(event: E, listener: (...args: MediaClusterEvents[E]) => void) {
    this.on(event, listener as (...args: any[]) => void)
    return () => {
      this.off(event, listener as (...args: any[]) => void)
    }
  }

  #emit<E extends keyof MediaClusterEvents>(event: E, ...args: MediaClusterEvents[E]) {
    this.emit(event, ...args)
  }

  #wire(client: RpcClient) {
    client.on('ready', async (info: ReadyInfo) => {
      clearTimeout(this.#failovers.get(client.url))
      this.#failovers.delete(client.url)
      client.call('stats.load', {}).then((load) => this.#loads.set(client.url, load), () => {})
      if (info.reconnected) {
        const roomKeys = await this.#reensureRoomsOn(client)
        this.#emit('reconnected', { url: client.url, sidecarId: info.sidecarId, restarted: info.restarted, roomKeys })
      }
      this.#emit('sidecarUp', client.url)
    })
    client.on('down', () => {
      this.#loads.delete(client.url)
      this.#emit('sidecarDown', client.url)
      const timer = setTimeout(() => this.#failover(client), this.#options.failoverAfterMs)
      timer.unref()
      this.#failovers.set(client.url, timer)
    })
    client.on('connect_error', () => {})
    client.on('load.report', (load: LoadReport) => this.#loads.set(client.url, load))
    for (const event of FORWARDED) {
      client.on(event, (data: unknown) => {
        this.emit(event, data, client.url)
      })
    }
    client.on('room.recreated', ({ roomKey }: RpcEvents['room.recreated']) => this.#emit('roomsRecreated', [roomKey]))
  }

  #placementKey(roomKey: string) {
    return `room:${roomKey}`
  }

  async #placedOn(roomKey: string) {
    const url = await this.state.get(this.#placementKey(roomKey))
    return url ? this.clients.find((c) => c.url === url) : undefined
  }

  /** Re-ensures (idempotently) the rooms of this process placed on `client`; returns them. */
  async #reensureRoomsOn(client: RpcClient) {
    const roomKeys: string[] = []
    const created: string[] = []
    for (const roomKey of this.#rooms) {
      if ((await this.#placedOn(roomKey)) !== client) continue
      roomKeys.push(roomKey)
      const result = await client.call('room.ensure', { roomKey }).catch(() => null)
      if (result?.created) created.push(roomKey)
    }
    if (created.length) this.#emit('roomsRecreated', created)
    return roomKeys
  }

  /** Moves this process's rooms off a sidecar that stayed down, when another one is connected. */
  async #failover(dead: RpcClient) {
    this.#failovers.delete(dead.url)
    if (dead.ready || !this.clients.some((c) => c.ready)) return
    const moved: string[] = []
    for (const roomKey of this.#rooms) {
      if ((await this.#placedOn(roomKey)) !== dead) continue
      const target = await this.clientFor(roomKey).catch(() => null)
      if (!target) continue
      const result = await target.call('room.ensure', { roomKey }).catch(() => null)
      if (result?.created) moved.push(roomKey)
    }
    if (moved.length) this.#emit('roomsRecreated', moved)
  }

  /** Connects to every sidecar; resolves when each has connected or failed once (those keep retrying). */
  async start() {
    await Promise.all(this.clients.map((client) => client.start().catch(() => {})))
  }

  /** Resolves once at least one sidecar is connected, or rejects after `ms`. */
  waitForSidecar(ms = this.#options.waitForSidecarMs) {
    if (this.clients.some((c) => c.ready)) return Promise.resolve()
    return new Promise<void>((resolve, reject) => {
      const done = (error?: Error) => {
        clearTimeout(timer)
        for (const client of this.clients) client.off('ready', onReady)
        error ? reject(error) : resolve()
      }
      const onReady = () => done()
      const timer = setTimeout(
        () => done(new RpcDisconnectedError(`No media sidecar is available (${this.clients.map((c) => c.url).join(', ')})`)),
        ms
      )
      // A process that is stopping must not be held alive by someone waiting for a sidecar.
      timer.unref()
      for (const client of this.clients) client.once('ready', onReady)
    })
  }

  /** Latest load report of each connected sidecar, by URL. */
  loads(): Record<string, LoadReport> {
    return Object.fromEntries(this.#loads)
  }

  /** Lower is emptier: CPU dominates once it is substantial; rooms and transports break near-ties. */
  #score(client: RpcClient) {
    const load = this.#loads.get(client.url)
    if (!load) return 0
    return load.cpu * 20 + load.rooms + load.transports / 10
  }

  async #leastLoaded() {
    await this.waitForSidecar()
    return this.clients.filter((c) => c.ready).sort((a, b) => this.#score(a) - this.#score(b))[0]
  }

  /** The sidecar serving a room: its placement while that sidecar is connected, else the least-loaded one (sticky from then on). */
  async clientFor(roomKey: string) {
    const placed = await this.#placedOn(roomKey)
    if (placed?.ready) return placed
    const chosen = await this.#leastLoaded()
    await this.state.set(this.#placementKey(roomKey), chosen.url, PLACEMENT_TTL_MS)
    return chosen
  }

  /** Creates the room's router on its sidecar, or returns the existing one. Idempotent. */
  async ensureRoom(roomKey: string) {
    const client = await this.clientFor(roomKey)
    this.#rooms.add(roomKey)
    return client.call('room.ensure', { roomKey })
  }

  /** Calls a method on the sidecar that serves `roomKey` (timeoutMs: this call's own time-out, for long jobs). */
  async call<M extends RpcMethod>(roomKey: string, method: M, params: ParamsOf<M>, timeoutMs?: number): Promise<ResultOf<M>> {
    const placed = await this.#placedOn(roomKey)
    if (placed && !placed.ready) throw new RpcDisconnectedError(`Media sidecar ${placed.url} of room ${roomKey} is not connected`)
    return (placed ?? (await this.clientFor(roomKey))).call(method, params, timeoutMs)
  }

  /** Closes the room's router and forgets its placement. */
  async closeRoom(roomKey: string) {
    this.#rooms.delete(roomKey)
    const client = await this.#placedOn(roomKey)
    await this.state.del(this.#placementKey(roomKey))
    if (client?.ready) await client.call('room.close', { roomKey }).catch(() => {})
  }

  /** Room keys this process has ensured and not closed. */
  ownedRooms() {
    return [...this.#rooms]
  }

  close() {
    for (const timer of this.#failovers.values()) clearTimeout(timer)
    this.#failovers.clear()
    for (const client of this.clients) client.close()
  }
}
