import vine from '@vinejs/vine'
import { DateTime } from 'luxon'
import { RealtimeError, type PluginHost, type SocketSession } from '#app/plugins/api'
import { ProducerRegistry } from './producer_registry.js'
import MediaStateEvent from './models/media_state_event.js'
import { mediaRoomKey, parseMediaRoomKey } from './room_key.js'
import type { MediaSource, StageMode } from './events.js'
import type { videoSettings } from './settings.js'
import { iceServersFor, turnConfigFromEnv } from '#app/media/turn'
import { createHlsRouting, hlsUrlOf } from './hls_routing.js'
import type { ViewerMode } from './hls_mode.js'
import { registerQualityHandlers } from './network_quality.js'
import './events.js'

/** What this process knows about each of its sockets' media (a socket lives on one process). */
interface Peer {
  roomKey: string
  session: SocketSession
  userId: number
  transports: Set<string>
  producers: Set<string>
  /** Consumers created on this tab's own transports: the only ones it may resume or ask layers of. */
  consumers: Set<string>
  /** 'hls': the tab watches the class's HLS stream and may open no transport (sends and receives no WebRTC media). */
  mode: ViewerMode
  /** The video ones among them: paused while the tab is in audio-only mode. */
  videoConsumers: Set<string>
  /** Audio-only mode (video:audio_only): the tab receives no video until it leaves the mode. */
  audioOnly: boolean
}

const id = () => vine.string().uuid()
const mediaObject = () => vine.object({}).allowUnknownProperties()

export function registerVideoHandlers(host: PluginHost<typeof videoSettings>) {
  const { realtime, state } = host
  const registry = new ProducerRegistry(state)
  const peers = new Map<string, Peer>()
  const hls = createHlsRouting(host)
  const stageKey = (sessionId: number, room: string) => `stage:${sessionId}:${room}`
  /* Checked at boot: a bad TURN configuration fails loudly instead of silently leaving browsers without relays. */
  const turn = () => turnConfigFromEnv()
  turn()

  const recordState = async (session: SocketSession, userId: number, source: MediaSource, on: boolean) => {
    await MediaStateEvent.create({ classSessionId: session.id, userId, source, on, occurredAt: DateTime.now() })
    await host.events.emit('video:media_state', {
      sessionId: session.id,
      schoolId: session.schoolId,
      userId,
      source,
      on,
      at: new Date().toISOString(),
    })
    if (source === 'camera') await cameraSignal(session, userId, on)
  }

  /** Engagement's camera signal (app/classes/activity_signals.ts): on when a camera producer runs, off when paused or gone. */
  const cameraSignal = (session: SocketSession, userId: number, on: boolean) =>
    host.events.emit('activity:signal', {
      sessionId: session.id,
      schoolId: session.schoolId,
      courseId: session.courseId,
      at: new Date().toISOString(),
      kind: 'camera',
      userId,
      on,
    })

  const peerOf = (socketId: string, session: SocketSession) => {
    const peer = peers.get(socketId)
    if (!peer || peer.roomKey !== mediaRoomKey(session.id, session.room)) {
      throw new RealtimeError('conflict', 'Join the video room first')
    }
    return peer
  }

  const leaveMedia = async (socketId: string) => {
    const peer = peers.get(socketId)
    if (!peer) return
    peers.delete(socketId)
    await hls.forget(peer.session.id, socketId)
    const media = await host.media()
    for (const producerId of peer.producers) {
      const view = await registry.remove(peer.roomKey, producerId)
      // A closed tab or a rejoin takes its camera with it.
      if (view?.source === 'camera' && !view.paused) await cameraSignal(peer.session, peer.userId, false)
    }
    await media.call(peer.roomKey, 'peer.close', { roomKey: peer.roomKey, peerId: socketId }).catch(() => {})
  }

  realtime.onDisconnecting(({ id: socketId }) => leaveMedia(socketId))
  registerQualityHandlers(host)

  realtime.on('video:join', {
    validator: vine.compile(vine.object({})),
    async handle({ session, socket, user }) {
      // Read before leaving: a tab on HLS that joins again (a media server restart) keeps watching HLS.
      const watchingHls = (await hls.watches(session.id, socket.id)) === 'hls'
      await leaveMedia(socket.id)
      const roomKey = mediaRoomKey(session.id, session.room)
      const media = await host.media()
      let room
      try {
        room = await media.ensureRoom(roomKey)
      } catch (error) {
        throw new RealtimeError('conflict', `Video is unavailable right now: ${(error as Error).message}`, { reason: 'no_media' })
      }
      const { mode } = await hls.modeFor(session, user.id, watchingHls)
      peers.set(socket.id, {
        roomKey,
        session,
        userId: user.id,
        transports: new Set(),
        producers: new Set(),
        consumers: new Set(),
        mode,
        videoConsumers: new Set(),
        audioOnly: false,
      })
      await hls.track(session.id, socket.id, mode)
      const { producers: live } = await media.call(roomKey, 'room.producers', { roomKey })
      const liveIds = new Set(live.map((p) => p.producerId))
      const producers = (await registry.all(roomKey)).filter((p) => liveIds.has(p.producerId) && p.socketId !== socket.id)
      const stage = ((await state.get(stageKey(session.id, session.room))) as StageMode | null) ?? 'video'
      // TURN credentials only reach a member of a live class (the gateway has checked the session and school).
      const ice = iceServersFor(turn(), user.id)
      return {
        roomKey,
        rtpCapabilities: room.rtpCapabilities,
        producers: producers.map(({ socketId: _, ...view }) => view),
        stage,
        iceServers: ice.iceServers,
        iceExpiresAt: ice.expiresAt,
        iceTransportPolicy: ice.iceTransportPolicy,
        mode,
        hlsUrl: mode === 'hls' ? hlsUrlOf(session.id) : null,
      }
    },
  })

  realtime.on('video:transport', {
    validator: vine.compile(vine.object({ direction: vine.enum(['send', 'recv'] as const) })),
    async handle({ payload, session, socket }) {
      const peer = peerOf(socket.id, session)
      if (peer.mode === 'hls') throw new RealtimeError('forbidden', 'You watch this class over HLS and send no media')
      if (peer.transports.size >= 4) throw new RealtimeError('conflict', 'Too many transports for this tab')
      const media = await host.media()
      const transport = await media.call(peer.roomKey, 'transport.create', {
        roomKey: peer.roomKey,
        peerId: socket.id,
        direction: payload.direction,
      })
      peer.transports.add(transport.id)
      return transport
    },
  })

  /** Fresh TURN credentials before the previous ones expire (the browser asks at ~80 % of their lifetime). */
  realtime.on('video:ice_servers', {
    validator: vine.compile(vine.object({})),
    async handle({ session, socket, user }) {
      peerOf(socket.id, session)
      const ice = iceServersFor(turn(), user.id)
      return { iceServers: ice.iceServers, iceExpiresAt: ice.expiresAt }
    },
  })

  /** ICE restart of one of the tab's own transports (network change or ICE failure): new ICE parameters from the sidecar. */
  realtime.on('video:restart_ice', {
    validator: vine.compile(vine.object({ transportId: id() })),
    async handle({ payload, session, socket, user }) {
      const peer = peerOf(socket.id, session)
      if (!peer.transports.has(payload.transportId)) throw new RealtimeError('forbidden', 'Not your transport')
      const { iceParameters } = await (await host.media()).call(peer.roomKey, 'transport.restartIce', payload)
      const ice = iceServersFor(turn(), user.id)
      return { iceParameters, iceServers: ice.iceServers, iceExpiresAt: ice.expiresAt }
    },
  })

  realtime.on('video:connect', {
    maxBytes: 16 * 1024,
    validator: vine.compile(vine.object({ transportId: id(), dtlsParameters: mediaObject() })),
    async handle({ payload, session, socket }) {
      const peer = peerOf(socket.id, session)
      if (!peer.transports.has(payload.transportId)) throw new RealtimeError('forbidden', 'Not your transport')
      await (await host.media()).call(peer.roomKey, 'transport.connect', payload as any)
      return null
    },
  })

  realtime.on('video:produce', {
    maxBytes: 32 * 1024,
    validator: vine.compile(
      vine.object({
        transportId: id(),
        kind: vine.enum(['audio', 'video'] as const),
        rtpParameters: mediaObject(),
        source: vine.enum(['mic', 'camera', 'screen'] as const),
        paused: vine.boolean().optional(),
      })
    ),
    async handle({ payload, session, socket, user }) {
      const peer = peerOf(socket.id, session)
      if (!peer.transports.has(payload.transportId)) throw new RealtimeError('forbidden', 'Not your transport')
      if ((payload.source === 'mic') !== (payload.kind === 'audio')) throw new RealtimeError('invalid', 'Source and kind do not match')
      if (payload.source === 'screen' && session.role === 'student') {
        const settings = await host.settings.forSchool(session.schoolId)
        if (!settings.studentsMayShareScreen) throw new RealtimeError('forbidden', 'Only teachers share their screen in this school')
      }
      const media = await host.media()
      const { producerId } = await media.call(peer.roomKey, 'producer.create', {
        transportId: payload.transportId,
        kind: payload.kind,
        rtpParameters: payload.rtpParameters as any,
        appData: { userId: user.id, source: payload.source },
      })
      if (payload.paused) await media.call(peer.roomKey, 'producer.pause', { producerId })
      peer.producers.add(producerId)
      const view = {
        producerId,
        userId: user.id,
        fullName: user.fullName,
        source: payload.source,
        kind: payload.kind,
        paused: Boolean(payload.paused),
      }
      await registry.add(peer.roomKey, { ...view, socketId: socket.id })
      realtime.toRoom(session.id, session.room).emit('video:producer_added', view)
      await recordState(session, user.id, payload.source, !payload.paused)
      return { producerId }
    },
  })

  realtime.on('video:consume', {
    maxBytes: 32 * 1024,
    validator: vine.compile(vine.object({ transportId: id(), producerId: id(), rtpCapabilities: mediaObject() })),
    async handle({ payload, session, socket }) {
      const peer = peerOf(socket.id, session)
      if (!peer.transports.has(payload.transportId)) throw new RealtimeError('forbidden', 'Not your transport')
      if (!(await registry.get(peer.roomKey, payload.producerId))) throw new RealtimeError('not_found', 'No such stream in your room')
      const consumer = await (await host.media()).call(peer.roomKey, 'consumer.create', payload as any)
      peer.consumers.add(consumer.consumerId)
      if (consumer.kind === 'video') peer.videoConsumers.add(consumer.consumerId)
      return consumer
    },
  })

  realtime.on('video:resume_consumer', {
    validator: vine.compile(vine.object({ consumerId: id() })),
    async handle({ payload, session, socket }) {
      const peer = peerOf(socket.id, session)
      if (!peer.consumers.has(payload.consumerId)) throw new RealtimeError('forbidden', 'Not your stream')
      // In audio-only mode a new video stream stays paused until the tab leaves the mode.
      if (peer.audioOnly && peer.videoConsumers.has(payload.consumerId)) return null
      await (await host.media()).call(peer.roomKey, 'consumer.resume', payload)
      return null
    },
  })

  realtime.on('video:layers', {
    validator: vine.compile(vine.object({ consumerId: id(), spatialLayer: vine.number().withoutDecimals().min(0).max(2) })),
    async handle({ payload, session, socket }) {
      const peer = peerOf(socket.id, session)
      if (!peer.consumers.has(payload.consumerId)) throw new RealtimeError('forbidden', 'Not your stream')
      await (await host.media()).call(peer.roomKey, 'consumer.setPreferredLayers', payload)
      return null
    },
  })

  /**
   * Audio only, for a weak link: the sidecar stops forwarding video to this tab (its video consumers
   * are paused, new ones stay paused) until it asks for video again. The tab stops its own camera itself
   * (video:set_paused on its producer).
   */
  realtime.on('video:audio_only', {
    validator: vine.compile(vine.object({ on: vine.boolean({ strict: true }) })),
    async handle({ payload, session, socket }) {
      const peer = peerOf(socket.id, session)
      peer.audioOnly = payload.on
      const media = await host.media()
      let changed = 0
      for (const consumerId of [...peer.videoConsumers]) {
        await media
          .call(peer.roomKey, payload.on ? 'consumer.pause' : 'consumer.resume', { consumerId })
          .then(() => changed++)
          .catch(() => peer.videoConsumers.delete(consumerId))
      }
      return { videoStreams: changed }
    },
  })

  const setPaused = async (session: SocketSession, roomKey: string, producerId: string, paused: boolean) => {
    const media = await host.media()
    await media.call(roomKey, paused ? 'producer.pause' : 'producer.resume', { producerId })
    const view = await registry.setPaused(roomKey, producerId, paused)
    if (!view) return
    realtime.toRoom(session.id, session.room).emit('video:producer_paused', {
      producerId,
      userId: view.userId,
      source: view.source,
      paused,
    })
    await recordState(session, view.userId, view.source, !paused)
  }

  realtime.on('video:set_paused', {
    validator: vine.compile(vine.object({ producerId: id(), paused: vine.boolean({ strict: true }) })),
    async handle({ payload, session, socket }) {
      const peer = peerOf(socket.id, session)
      if (!peer.producers.has(payload.producerId)) throw new RealtimeError('forbidden', 'You can only pause your own media')
      await setPaused(session, peer.roomKey, payload.producerId, payload.paused)
      return null
    },
  })

  realtime.on('video:close_producer', {
    validator: vine.compile(vine.object({ producerId: id() })),
    async handle({ payload, session, socket, user }) {
      const peer = peerOf(socket.id, session)
      if (!peer.producers.has(payload.producerId)) throw new RealtimeError('forbidden', 'You can only stop your own media')
      const view = await registry.remove(peer.roomKey, payload.producerId)
      peer.producers.delete(payload.producerId)
      await (await host.media()).call(peer.roomKey, 'producer.close', payload)
      if (view) await recordState(session, user.id, view.source, false)
      return null
    },
  })

  realtime.on('video:force_off', {
    roles: ['teacher'],
    validator: vine.compile(
      vine.object({ userId: vine.number().withoutDecimals().positive(), source: vine.enum(['mic', 'camera'] as const) })
    ),
    async handle({ payload, session, user }) {
      await realtime.requireParticipant(session, payload.userId, { sameRoom: true })
      const roomKey = mediaRoomKey(session.id, session.room)
      const targets = (await registry.all(roomKey)).filter(
        (p) => p.userId === payload.userId && p.source === payload.source && !p.paused
      )
      for (const target of targets) await setPaused(session, roomKey, target.producerId, true)
      realtime.toUser(payload.userId).emit('video:forced_off', { source: payload.source, by: user.fullName })
      return { paused: targets.length }
    },
  })

  realtime.on('video:stage', {
    roles: ['teacher'],
    validator: vine.compile(vine.object({ mode: vine.enum(['video', 'screen', 'whiteboard'] as const) })),
    async handle({ payload, session }) {
      await state.set(stageKey(session.id, session.room), payload.mode, 24 * 3600_000)
      realtime.toRoom(session.id, session.room).emit('video:stage', { mode: payload.mode })
      return null
    },
  })

  /* Sidecar events reach every web process; each tells only its own sockets. */
  host.media().then((media) => {
    media.on('producer.closed', async ({ roomKey, producerId }: { roomKey: string; producerId: string }) => {
      const parsed = parseMediaRoomKey(roomKey)
      if (!parsed) return
      await registry.remove(roomKey, producerId)
      realtime.toRoomLocal(parsed.sessionId, parsed.room).emit('video:producer_closed', { producerId })
    })
    /* A consumer ends with its producer or transport: forget it (the event names the tab as peerId). */
    media.on('consumer.closed', ({ consumerId, peerId }: { consumerId: string; peerId: string }) => {
      peers.get(peerId)?.consumers.delete(consumerId)
      peers.get(peerId)?.videoConsumers.delete(consumerId)
    })
    media.on('room.activeSpeaker', async ({ roomKey, producerId }: { roomKey: string; producerId: string | null }) => {
      const parsed = parseMediaRoomKey(roomKey)
      if (!parsed) return
      const view = producerId ? await registry.get(roomKey, producerId) : null
      realtime.toRoomLocal(parsed.sessionId, parsed.room).emit('video:active_speaker', { userId: view?.userId ?? null })
      realtime.toTeachersLocal(parsed.sessionId).emit('video:room_speaker', { room: parsed.room, userId: view?.userId ?? null })
    })
    media.on('roomsRecreated', async (roomKeys: string[]) => {
      for (const roomKey of roomKeys) {
        const parsed = parseMediaRoomKey(roomKey)
        if (!parsed) continue
        await registry.clear(roomKey)
        for (const [socketId, peer] of peers) if (peer.roomKey === roomKey) peers.delete(socketId)
        realtime.toRoomLocal(parsed.sessionId, parsed.room).emit('video:reset', { reason: 'The media server restarted' })
      }
    })
  })

  host.events.on('class:ended', async ({ sessionId }) => {
    const media = await host.media()
    for (const [socketId, peer] of peers) if (parseMediaRoomKey(peer.roomKey)?.sessionId === sessionId) peers.delete(socketId)
    await media.closeRoom(mediaRoomKey(sessionId, 'main')).catch(() => {})
  })
  host.events.on('breakouts:closed', async ({ sessionId, rooms }) => {
    const media = await host.media()
    for (const room of rooms) await media.closeRoom(mediaRoomKey(sessionId, room.key)).catch(() => {})
  })
}
