import type { types } from 'mediasoup'
import { MEDIA_CODECS } from '#app/media/sidecar/codecs'
import type { SidecarConfig } from '#app/media/sidecar/config'
import type { PooledWorker, WorkerPool } from '#app/media/sidecar/worker_pool'
import type { LoadReport, ProducerInfo, RpcEventName, RpcEvents, RpcMethods } from '#app/media/rpc/contract'
import { RpcError } from '#app/media/rpc/errors'
import type { RecordingMethod } from '#app/media/sidecar/recording/recordings'
import type { HlsMethod } from '#app/media/sidecar/hls/hls_handlers'
import type { RoomView } from '#app/media/sidecar/recording/class_recorder'

interface Room {
  key: string
  router: types.Router
  observer: types.AudioLevelObserver
  pooled: PooledWorker
  speaker: string | null
}

interface Entry {
  roomKey: string
  peerId: string
  pooled: PooledWorker
}

type Emit = <E extends RpcEventName>(event: E, data: RpcEvents[E]) => void
type RoomMethod = Exclude<keyof RpcMethods, RecordingMethod | HlsMethod>
type Handlers = { [M in RoomMethod]: (params: RpcMethods[M]['params']) => Promise<RpcMethods[M]['result']> }

/** All media state of one sidecar: a router per room key, transports, producers and consumers. */
export class MediaRooms {
  #rooms = new Map<string, Room>()
  #transports = new Map<string, Entry & { transport: types.Transport }>()
  #producers = new Map<string, Entry & { producer: types.Producer }>()
  #consumers = new Map<string, Entry & { consumer: types.Consumer }>()
  /** Runs before a room's router closes (recordings finish their last part while the media still flows). */
  beforeRoomClose: (roomKey: string) => Promise<void> = async () => {}

  constructor(
    private pool: WorkerPool,
    private config: SidecarConfig,
    private emit: Emit,
    readonly sidecarId: string
  ) {
    pool.onDied = (dead, replacement) => this.#recreateRoomsOf(dead, replacement)
  }

  async #createRoom(key: string, pooled: PooledWorker): Promise<Room> {
    const router = await pooled.worker.createRouter({ mediaCodecs: MEDIA_CODECS })
    const observer = await router.createAudioLevelObserver({ maxEntries: 1, threshold: -70, interval: 400 })
    const room: Room = { key, router, observer, pooled, speaker: null }
    observer.on('volumes', ([{ producer, volume }]) => this.#speaker(room, producer.id, volume))
    observer.on('silence', () => this.#speaker(room, null, null))
    pooled.routers++
    this.#rooms.set(key, room)
    return room
  }

  #speaker(room: Room, producerId: string | null, volume: number | null) {
    if (room.speaker === producerId || this.#rooms.get(room.key) !== room) return
    room.speaker = producerId
    const peerId = producerId ? (this.#producers.get(producerId)?.peerId ?? null) : null
    this.emit('room.activeSpeaker', { roomKey: room.key, producerId, peerId, volume })
  }

  async #recreateRoomsOf(dead: PooledWorker, replacement: PooledWorker) {
    const lost = [...this.#rooms.values()].filter((room) => room.pooled === dead)
    for (const room of lost) {
      this.#forgetRoom(room.key)
      await this.#createRoom(room.key, replacement)
    }
    this.emit('worker.died', { pid: dead.worker.pid, replacementPid: replacement.worker.pid, roomKeys: lost.map((r) => r.key) })
    for (const room of lost) this.emit('room.recreated', { roomKey: room.key })
  }

  #forgetRoom(key: string) {
    for (const map of [this.#transports, this.#producers, this.#consumers] as Map<string, Entry>[]) {
      for (const [id, entry] of map) if (entry.roomKey === key) map.delete(id)
    }
    this.#rooms.delete(key)
  }

  #room(key: string) {
    const room = this.#rooms.get(key)
    if (!room) throw new RpcError('not_found', `No media room ${key}`)
    return room
  }

  #transport(id: string) {
    const entry = this.#transports.get(id)
    if (!entry) throw new RpcError('not_found', `No transport ${id}`)
    return entry
  }

  #producer(id: string) {
    const entry = this.#producers.get(id)
    if (!entry) throw new RpcError('not_found', `No producer ${id}`)
    return entry
  }

  #consumer(id: string) {
    const entry = this.#consumers.get(id)
    if (!entry) throw new RpcError('not_found', `No consumer ${id}`)
    return entry
  }

  #track<T extends types.Transport>(transport: T, room: Room, peerId: string) {
    const roomKey = room.key
    this.#transports.set(transport.id, { transport, roomKey, peerId, pooled: room.pooled })
    transport.observer.once('close', () => {
      this.#transports.delete(transport.id)
      this.emit('transport.closed', { roomKey, transportId: transport.id, peerId })
    })
    return transport
  }

  /** What a recording of the room reads: its router, producers (with owners) and the current speaker. */
  recordingView(roomKey: string): RoomView | null {
    const room = this.#rooms.get(roomKey)
    if (!room || room.router.closed) return null
    const producers = []
    for (const [id, entry] of this.#producers) {
      if (entry.roomKey !== roomKey) continue
      producers.push({ id, kind: entry.producer.kind, paused: entry.producer.paused, peerId: entry.peerId, appData: entry.producer.appData })
    }
    return { router: room.router, producers, speakerProducerId: room.speaker }
  }

  /** The pool index and pid of the worker hosting a room (for its HLS trigger). */
  workerOf(roomKey: string) {
    const room = this.#rooms.get(roomKey)
    return room ? { index: room.pooled.index, pid: room.pooled.worker.pid } : null
  }

  loadReport(): LoadReport {
    const count = (map: Map<string, Entry>, pooled: PooledWorker) => {
      let n = 0
      for (const entry of map.values()) if (entry.pooled === pooled) n++
      return n
    }
    const workers = this.pool.workers.map((w) => ({
      pid: w.worker.pid,
      cpu: w.cpu,
      routers: w.routers,
      transports: count(this.#transports, w),
      producers: count(this.#producers, w),
      consumers: count(this.#consumers, w),
    }))
    return {
      sidecarId: this.sidecarId,
      workers,
      cpu: workers.reduce((sum, w) => sum + w.cpu, 0) / Math.max(1, workers.length),
      rooms: this.#rooms.size,
      transports: this.#transports.size,
      producers: this.#producers.size,
      consumers: this.#consumers.size,
      at: Date.now(),
    }
  }

  readonly handlers: Handlers = {
    'room.ensure': async ({ roomKey }) => {
      const existing = this.#rooms.get(roomKey)
      const room = existing ?? (await this.#createRoom(roomKey, this.pool.leastLoaded()))
      return {
        roomKey,
        routerId: room.router.id,
        workerPid: room.pooled.worker.pid,
        rtpCapabilities: room.router.rtpCapabilities,
        created: !existing,
      }
    },
    'room.capabilities': async ({ roomKey }) => ({ rtpCapabilities: this.#room(roomKey).router.rtpCapabilities }),
    'room.close': async ({ roomKey }) => {
      if (!this.#rooms.has(roomKey)) return { closed: false }
      await this.beforeRoomClose(roomKey).catch(() => {})
      const room = this.#rooms.get(roomKey)
      if (!room) return { closed: false }
      room.router.close()
      room.pooled.routers--
      this.#forgetRoom(roomKey)
      return { closed: true }
    },
    'room.list': async () => ({ roomKeys: [...this.#rooms.keys()] }),
    'room.producers': async ({ roomKey }) => {
      this.#room(roomKey)
      const producers: ProducerInfo[] = []
      for (const [id, entry] of this.#producers) {
        if (entry.roomKey !== roomKey) continue
        producers.push({
          producerId: id,
          peerId: entry.peerId,
          kind: entry.producer.kind,
          paused: entry.producer.paused,
          appData: entry.producer.appData,
        })
      }
      return { producers }
    },
    'transport.create': async ({ roomKey, peerId, direction }) => {
      const room = this.#room(roomKey)
      const transport = this.#track(
        await room.router.createWebRtcTransport({
          ...(room.pooled.webRtcServer
            ? { webRtcServer: room.pooled.webRtcServer }
            : { listenIps: [{ ip: this.config.listenIp, announcedIp: this.config.announcedIp }] }),
          enableUdp: true,
          enableTcp: true,
          preferUdp: true,
          initialAvailableOutgoingBitrate: 1_000_000,
          appData: { peerId, direction },
        }),
        room,
        peerId
      )
      return {
        id: transport.id,
        iceParameters: transport.iceParameters,
        iceCandidates: transport.iceCandidates,
        dtlsParameters: transport.dtlsParameters,
      }
    },
    'transport.connect': async ({ transportId, dtlsParameters }) => {
      await this.#transport(transportId).transport.connect({ dtlsParameters })
      return null
    },
    'transport.restartIce': async ({ transportId }) => {
      const { transport } = this.#transport(transportId)
      if (!('restartIce' in transport)) throw new RpcError('invalid', `Transport ${transportId} is not a WebRTC transport`)
      return { iceParameters: await (transport as types.WebRtcTransport).restartIce() }
    },
    'transport.close': async ({ transportId }) => {
      this.#transports.get(transportId)?.transport.close()
      return null
    },
    'producer.create': async ({ transportId, kind, rtpParameters, appData }) => {
      const { transport, roomKey, peerId, pooled } = this.#transport(transportId)
      const producer = await transport.produce({ kind, rtpParameters, appData })
      this.#producers.set(producer.id, { producer, roomKey, peerId, pooled })
      producer.observer.once('close', () => {
        this.#producers.delete(producer.id)
        this.emit('producer.closed', { roomKey, producerId: producer.id, peerId })
      })
      if (kind === 'audio') await this.#room(roomKey).observer.addProducer({ producerId: producer.id }).catch(() => {})
      return { producerId: producer.id }
    },
    'producer.pause': async ({ producerId }) => {
      await this.#producer(producerId).producer.pause()
      return null
    },
    'producer.resume': async ({ producerId }) => {
      await this.#producer(producerId).producer.resume()
      return null
    },
    'producer.close': async ({ producerId }) => {
      this.#producers.get(producerId)?.producer.close()
      return null
    },
    'consumer.create': async ({ transportId, producerId, rtpCapabilities }) => {
      const { transport, roomKey, peerId, pooled } = this.#transport(transportId)
      const room = this.#room(roomKey)
      if (!this.#producers.has(producerId)) throw new RpcError('not_found', `No producer ${producerId}`)
      if (!room.router.canConsume({ producerId, rtpCapabilities })) {
        throw new RpcError('invalid', 'This browser cannot receive that stream')
      }
      const consumer = await transport.consume({ producerId, rtpCapabilities, paused: true })
      this.#consumers.set(consumer.id, { consumer, roomKey, peerId, pooled })
      consumer.observer.once('close', () => {
        this.#consumers.delete(consumer.id)
        this.emit('consumer.closed', { roomKey, consumerId: consumer.id, producerId, peerId })
      })
      return {
        consumerId: consumer.id,
        producerId,
        kind: consumer.kind,
        rtpParameters: consumer.rtpParameters,
        producerPaused: consumer.producerPaused,
      }
    },
    'consumer.resume': async ({ consumerId }) => {
      await this.#consumer(consumerId).consumer.resume()
      return null
    },
    'consumer.pause': async ({ consumerId }) => {
      await this.#consumer(consumerId).consumer.pause()
      return null
    },
    'consumer.setPreferredLayers': async ({ consumerId, spatialLayer, temporalLayer }) => {
      await this.#consumer(consumerId).consumer.setPreferredLayers({ spatialLayer, temporalLayer })
      return null
    },
    'consumer.close': async ({ consumerId }) => {
      this.#consumers.get(consumerId)?.consumer.close()
      return null
    },
    'peer.close': async ({ roomKey, peerId }) => {
      let closedTransports = 0
      for (const entry of [...this.#transports.values()]) {
        if (entry.roomKey === roomKey && entry.peerId === peerId) {
          entry.transport.close()
          closedTransports++
        }
      }
      return { closedTransports }
    },
    'plainTransport.create': async ({ roomKey, peerId, comedia, rtcpMux, srtp }) => {
      const room = this.#room(roomKey)
      const transport = this.#track(
        await room.router.createPlainTransport({
          listenIp: { ip: this.config.listenIp, announcedIp: this.config.announcedIp },
          comedia,
          rtcpMux,
          ...(srtp ? { enableSrtp: true, srtpCryptoSuite: 'AES_CM_128_HMAC_SHA1_80' as const } : {}),
        }),
        room,
        peerId
      )
      return {
        transportId: transport.id,
        ip: transport.tuple.localIp,
        port: transport.tuple.localPort,
        rtcpPort: transport.rtcpTuple?.localPort,
        srtpParameters: transport.srtpParameters,
      }
    },
    'plainTransport.connect': async ({ transportId, ip, port, rtcpPort, srtpParameters }) => {
      const { transport } = this.#transport(transportId)
      await (transport as types.PlainTransport).connect({ ip, port, rtcpPort, srtpParameters })
      return null
    },
    'stats.load': async () => this.loadReport(),
    'stats.transport': async ({ transportId }) => ({ stats: await this.#transport(transportId).transport.getStats() }),
    'stats.producer': async ({ producerId }) => ({ stats: await this.#producer(producerId).producer.getStats() }),
    'stats.consumer': async ({ consumerId }) => ({ stats: await this.#consumer(consumerId).consumer.getStats() }),
    'debug.consumer': async ({ consumerId }) => {
      if (!this.config.testMethods) throw new RpcError('not_found', 'Unknown method debug.consumer')
      const { consumer } = this.#consumer(consumerId)
      return { paused: consumer.paused, preferredLayers: consumer.preferredLayers ?? null }
    },
    'debug.sleep': async ({ ms }) => {
      if (!this.config.testMethods) throw new RpcError('not_found', 'Unknown method debug.sleep')
      await new Promise((r) => setTimeout(r, ms))
      return null
    },
  }
}
