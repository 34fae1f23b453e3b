import { Device, types } from 'mediasoup-client'
import type { ClassroomContext } from '~/classroom/context'
import type { MediaSource, ProducerView } from '../events'
import type { IceServer, IceTransportPolicy } from '#app/media/turn'
import { watchIceRecovery } from './ice_recovery'

const SIMULCAST: types.RtpEncodingParameters[] = [
  { rid: 'r0', maxBitrate: 120_000, scaleResolutionDownBy: 4 },
  { rid: 'r1', maxBitrate: 350_000, scaleResolutionDownBy: 2 },
  { rid: 'r2', maxBitrate: 1_000_000 },
]

export interface RemoteStream {
  producerId: string
  consumerId: string
  userId: number
  fullName: string
  source: MediaSource
  kind: 'audio' | 'video'
  paused: boolean
  track: MediaStreamTrack
}

export interface MediaCallbacks {
  onRemote(stream: RemoteStream): void
  onRemoteClosed(producerId: string): void
  onRemotePaused(producerId: string, paused: boolean): void
}

/**
 * One tab's media: a mediasoup Device, one send and one receive transport,
 * the local producers and the consumers of everyone else in the room.
 * Plain object on purpose: mediasoup objects must stay out of Vue reactivity.
 */
export class MediaSession {
  device: Device | null = null
  send: types.Transport | null = null
  recv: types.Transport | null = null
  producers = new Map<MediaSource, types.Producer>()
  consumers = new Map<string, types.Consumer>()
  /** ICE restarts done since the page opened (diagnostics). */
  iceRestarts = 0
  #generation = 0
  #ice: { iceServers: IceServer[]; iceTransportPolicy: IceTransportPolicy } = { iceServers: [], iceTransportPolicy: 'all' }
  #iceRefresh: ReturnType<typeof setTimeout> | null = null
  #recoveries: { stop(): void }[] = []

  constructor(
    private classroom: ClassroomContext,
    private callbacks: MediaCallbacks
  ) {}

  /** (Re)joins the media room of the current class room; returns the existing producers and the stage mode. */
  async join() {
    const generation = ++this.#generation
    this.close()
    const joined = await this.classroom.request('video:join', {})
    if (generation !== this.#generation) return null
    /* An HLS viewer (issue 14) opens no transport: it watches joined.hlsUrl and sends nothing. */
    if (joined.mode === 'hls') return joined
    this.device = new Device()
    await this.device.load({ routerRtpCapabilities: joined.rtpCapabilities as types.RtpCapabilities })
    this.#ice = { iceServers: joined.iceServers, iceTransportPolicy: joined.iceTransportPolicy }
    this.send = await this.#transport('send')
    this.recv = await this.#transport('recv')
    this.#refreshIceServersBefore(joined.iceExpiresAt)
    for (const producer of joined.producers) await this.consume(producer)
    return joined
  }

  async #transport(direction: 'send' | 'recv') {
    const options = { ...(await this.classroom.request('video:transport', { direction })), ...this.#ice } as any
    const transport = direction === 'send' ? this.device!.createSendTransport(options) : this.device!.createRecvTransport(options)
    this.#recoveries.push(
      watchIceRecovery(
        transport,
        (transportId) => this.classroom.request('video:restart_ice', { transportId }),
        () => this.iceRestarts++
      )
    )
    transport.on('connect', ({ dtlsParameters }, callback, errback) => {
      this.classroom.request('video:connect', { transportId: transport.id, dtlsParameters: dtlsParameters as any }).then(() => callback(), errback)
    })
    if (direction === 'send') {
      transport.on('produce', ({ kind, rtpParameters, appData }, callback, errback) => {
        this.classroom
          .request('video:produce', {
            transportId: transport.id,
            kind,
            rtpParameters: rtpParameters as any,
            source: appData.source as MediaSource,
            paused: Boolean(appData.paused),
          })
          .then(({ producerId }) => callback({ id: producerId }), errback)
      })
    }
    return transport
  }

  async produce(source: MediaSource, track: MediaStreamTrack, paused = false) {
    if (!this.send) throw new Error('Not connected to the media room')
    await this.stop(source)
    const producer = await this.send.produce({
      track,
      encodings: source === 'camera' ? SIMULCAST : undefined,
      codecOptions: source === 'mic' ? undefined : { videoGoogleStartBitrate: 600 },
      appData: { source, paused },
      stopTracks: false,
    })
    if (paused) producer.pause()
    this.producers.set(source, producer)
    return producer
  }

  async setPaused(source: MediaSource, paused: boolean) {
    const producer = this.producers.get(source)
    if (!producer) return
    paused ? producer.pause() : producer.resume()
    await this.classroom.request('video:set_paused', { producerId: producer.id, paused })
  }

  async stop(source: MediaSource) {
    const producer = this.producers.get(source)
    if (!producer) return
    this.producers.delete(source)
    producer.close()
    await this.classroom.request('video:close_producer', { producerId: producer.id }).catch(() => {})
  }

  #consuming = new Set<string>()

  async consume(view: ProducerView) {
    if (!this.recv || !this.device || [...this.producers.values()].some((p) => p.id === view.producerId)) return
    if (this.consumers.has(view.producerId) || this.#consuming.has(view.producerId)) return
    this.#consuming.add(view.producerId)
    try {
      await this.#consume(view)
    } finally {
      this.#consuming.delete(view.producerId)
    }
  }

  async #consume(view: ProducerView) {
    if (!this.recv || !this.device) return
    const data = await this.classroom.request('video:consume', {
      transportId: this.recv.id,
      producerId: view.producerId,
      rtpCapabilities: this.device.rtpCapabilities as any,
    })
    const consumer = await this.recv.consume({
      id: data.consumerId,
      producerId: data.producerId,
      kind: data.kind,
      rtpParameters: data.rtpParameters as any,
    })
    if (!this.recv || consumer.closed) return
    this.consumers.set(view.producerId, consumer)
    consumer.on('transportclose', () => this.consumers.delete(view.producerId))
    await this.classroom.request('video:resume_consumer', { consumerId: consumer.id })
    this.callbacks.onRemote({ ...view, consumerId: consumer.id, paused: data.producerPaused, track: consumer.track })
  }

  removeConsumer(producerId: string) {
    this.consumers.get(producerId)?.close()
    this.consumers.delete(producerId)
    this.callbacks.onRemoteClosed(producerId)
  }

  #preferred = new Map<string, number>()

  /**
   * Caps the simulcast layer at what the tile can show: small tiles get the low layer. This is a
   * ceiling, not a pin: below it mediasoup's consumer follows the receiver's bandwidth estimate by
   * itself (it drops to a lower spatial/temporal layer when the link cannot carry the preferred one
   * and climbs back when it can), so the browser never asks for more than the tile needs and never
   * asks for less than the link allows. Sent only when the cap changes, not on every resize.
   */
  preferLayer(producerId: string, tileWidth: number) {
    const consumer = this.consumers.get(producerId)
    if (!consumer || consumer.kind !== 'video') return
    const spatialLayer = tileWidth < 320 ? 0 : tileWidth < 640 ? 1 : 2
    if (this.#preferred.get(consumer.id) === spatialLayer) return
    this.#preferred.set(consumer.id, spatialLayer)
    this.classroom.request('video:layers', { consumerId: consumer.id, spatialLayer }).catch(() => this.#preferred.delete(consumer.id))
  }

  /** TURN credentials expire: fresh ones are handed to both transports at ~80 % of their lifetime. */
  #refreshIceServersBefore(expiresAt: number | null) {
    if (this.#iceRefresh) clearTimeout(this.#iceRefresh)
    this.#iceRefresh = null
    if (!expiresAt) return
    const delayMs = Math.max(5_000, (expiresAt * 1000 - Date.now()) * 0.8)
    this.#iceRefresh = setTimeout(async () => {
      try {
        const { iceServers, iceExpiresAt } = await this.classroom.request('video:ice_servers', {})
        this.#ice = { ...this.#ice, iceServers }
        for (const transport of [this.send, this.recv]) if (transport && !transport.closed) await transport.updateIceServers({ iceServers })
        this.#refreshIceServersBefore(iceExpiresAt)
      } catch {
        this.#refreshIceServersBefore(Date.now() / 1000 + 30)
      }
    }, delayMs)
  }

  close() {
    if (this.#iceRefresh) clearTimeout(this.#iceRefresh)
    this.#iceRefresh = null
    for (const recovery of this.#recoveries.splice(0)) recovery.stop()
    for (const consumer of this.consumers.values()) consumer.close()
    this.consumers.clear()
    this.#preferred.clear()
    for (const producer of this.producers.values()) producer.close()
    this.producers.clear()
    this.send?.close()
    this.recv?.close()
    this.send = this.recv = null
  }
}
