import { EventEmitter } from 'node:events'
import { RpcClient } from '#app/media/rpc/rpc_client'
import { RpcError } from '#app/media/rpc/errors'
import type { LoadReport, ParamsOf, ResultOf, RpcEventName, RpcEvents, RpcMethod } from '#app/media/rpc/contract'
import type { SharedState } from '#app/realtime/shared_state'

/**
 * The web process's view of all media sidecars. Each room key is placed on the
 * least-loaded connected sidecar and stays there (the placement is shared
 * between web processes). When a sidecar comes back after a restart, the rooms
 * placed on it are re-created and 'roomsRecreated' is emitted so browsers can
 * re-negotiate. Events from sidecars are re-emitted with the sidecar URL.
 */
export class MediaCluster extends EventEmitter {
  readonly clients: RpcClient[]
  #loads = new Map<string, LoadReport>()
  #rooms = new Set<string>()

  constructor(
    urls: string[],
    secret: string,
    private state: SharedState,
    options: { timeoutMs?: number } = {}
  ) {
    super()
    this.setMaxListeners(100)
    this.clients = urls.map((url) => new RpcClient({ url, secret, timeoutMs: options.timeoutMs ?? 5000 }))
    for (const client of this.clients) this.#wire(client)
  }

  #wire(client: RpcClient) {
    let everReady = false
    client.on('ready', async () => {
      const restarted = everReady
      everReady = true
      client.call('stats.load', {}).then((load) => this.#loads.set(client.url, load)).catch(() => {})
      if (restarted) await this.#recreateRoomsOn(client)
      this.emit('sidecarUp', client.url)
    })
    client.on('down', () => {
      this.#loads.delete(client.url)
      this.emit('sidecarDown', client.url)
    })
    client.on('load.report', (load: LoadReport) => this.#loads.set(client.url, load))
    const forward = (event: RpcEventName) => client.on(event, (data: unknown) => this.emit(event, data, client.url))
    for (const event of ['transport.closed', 'producer.closed', 'consumer.closed', 'worker.died', 'room.recreated', 'room.activeSpeaker'] as const) {
      forward(event)
    }
    client.on('room.recreated', ({ roomKey }: RpcEvents['room.recreated']) => this.emit('roomsRecreated', [roomKey]))
  }

  async #recreateRoomsOn(client: RpcClient) {
    const keys: string[] = []
    for (const roomKey of this.#rooms) {
      if ((await this.state.get(`media:room:${roomKey}`)) !== client.url) continue
      await client.call('room.ensure', { roomKey }).catch(() => {})
      keys.push(roomKey)
    }
    if (keys.length) this.emit('roomsRecreated', keys)
  }

  /** Connects to every sidecar (those that are down keep retrying in the background). */
  async start() {
    await Promise.all(this.clients.map((client) => client.start().catch(() => {})))
  }

  loads() {
    return Object.fromEntries(this.#loads)
  }

  #leastLoaded() {
    const ready = this.clients.filter((c) => c.ready)
    if (!ready.length) throw new RpcError('disconnected', 'No media sidecar is available')
    return ready.sort((a, b) => this.#score(a) - this.#score(b))[0]
  }

  /** Load score: CPU dominates once it is substantial; rooms and transports break near-ties. */
  #score(client: RpcClient) {
    const load = this.#loads.get(client.url)
    if (!load) return 0
    return load.cpu * 20 + load.rooms + load.transports / 10
  }

  /** The sidecar serving a room; places the room on the least-loaded sidecar the first time. */
  async clientFor(roomKey: string) {
    const key = `media:room:${roomKey}`
    const placed = await this.state.get(key)
    const existing = placed ? this.clients.find((c) => c.url === placed) : undefined
    if (existing?.ready) return existing
    const chosen = this.#leastLoaded()
    await this.state.set(key, chosen.url, 24 * 3600_000)
    return chosen
  }

  async ensureRoom(roomKey: string) {
    const client = await this.clientFor(roomKey)
    this.#rooms.add(roomKey)
    return client.call('room.ensure', { roomKey })
  }

  async call<M extends RpcMethod>(roomKey: string, method: M, params: ParamsOf<M>): Promise<ResultOf<M>> {
    const client = await this.clientFor(roomKey)
    return client.call(method, params)
  }

  async closeRoom(roomKey: string) {
    this.#rooms.delete(roomKey)
    const placed = await this.state.get(`media:room:${roomKey}`)
    const client = this.clients.find((c) => c.url === placed)
    await this.state.del(`media:room:${roomKey}`)
    if (client?.ready) await client.call('room.close', { roomKey }).catch(() => {})
  }

  close() {
    for (const client of this.clients) client.close()
  }
}
