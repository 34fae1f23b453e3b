/*
| HLS fallback (issue 14), the web side: which way each new viewer of a class watches (WebRTC or the
| class's HLS stream), the per-class viewer counts, the teacher's lecture mode and "bring on stage".
| The rules are in hls_mode.ts; the CPU trigger runs in the sidecar (app/media/sidecar/hls/).
*/
import vine from '@vinejs/vine'
import { RealtimeError, type PluginHost, type SocketSession } from '#app/plugins/api'
import { chooseViewerMode, stageRefusal, triggerParams, type ModeReason, type StageRefusal, type ViewerMode } from './hls_mode.js'
import { mediaRoomKey } from './room_key.js'
import type { videoSettings } from './settings.js'
import './events.js'

const DAY_MS = 24 * 3600_000

/** The error ack's message when there is no room on stage (the teacher's page shows its translation by `details.reason`). */
const STAGE_REFUSED: Record<StageRefusal, string> = {
  cpu: 'No room on stage: the class’s media server is at or above the school’s CPU threshold',
  viewer_cap: 'No room on stage: the class has reached the school’s WebRTC viewer cap',
  no_media: 'No room on stage: the media server does not answer right now',
}

export const hlsUrlOf = (sessionId: number) => `/plugins/video/classes/${sessionId}/hls/live.m3u8`

export function createHlsRouting(host: PluginHost<typeof videoSettings>) {
  const { realtime, state } = host
  const viewersKey = (sessionId: number) => `viewers:${sessionId}`
  const lectureKey = (sessionId: number) => `lecture:${sessionId}`
  const onStageKey = (sessionId: number) => `on_stage:${sessionId}`

  const trigger = async (sessionId: number, schoolId: number) => {
    const settings = await host.settings.forSchool(schoolId)
    const roomKey = mediaRoomKey(sessionId, 'main')
    const media = await host.media()
    const [load, stream] = await Promise.all([
      media.call(roomKey, 'hls.trigger', { roomKey, ...triggerParams(settings) }).catch(() => null),
      media.call(roomKey, 'hls.status', { roomKey }).catch(() => ({ available: false })),
    ])
    return { settings, load, streamAvailable: stream.available }
  }

  /**
   * How many tabs of the class watch each way. A web process that died (SIGKILL, a crash) ran no
   * disconnect handler, so its tabs are forgotten here: only the class's connected sockets count.
   * The connected ones are read after the tracked ones, so a tab tracked meanwhile is never taken for gone.
   */
  const counts = async (sessionId: number) => {
    const tracked = await state.hgetall(viewersKey(sessionId))
    const connected = await realtime.socketIds(sessionId).catch(() => null)
    const gone = (socketId: string) => connected !== null && !connected.has(socketId)
    await Promise.all(Object.keys(tracked).filter(gone).map((socketId) => state.hdel(viewersKey(sessionId), socketId)))
    const modes = Object.entries(tracked)
      .filter(([socketId]) => !gone(socketId))
      .map(([, mode]) => mode)
    return { webrtc: modes.filter((m) => m === 'webrtc').length, hls: modes.filter((m) => m === 'hls').length }
  }

  /**
   * Which way this tab watches; the caller records it with `track` once the join succeeded.
   * `watchingHls`: the tab watched the HLS stream until this join (`watches`, read before it left).
   */
  async function modeFor(session: SocketSession, userId: number, watchingHls: boolean): Promise<{ mode: ViewerMode; reason: ModeReason }> {
    if (session.role === 'teacher' || session.room !== 'main') return chooseViewerMode({ ...neutral, role: session.role, room: session.room })
    const [{ settings, load, streamAvailable }, lectureMode, onStage] = await Promise.all([
      trigger(session.id, session.schoolId),
      state.get(lectureKey(session.id)),
      state.hget(onStageKey(session.id), String(userId)),
    ])
    // Counting asks every web process for the class's sockets: only when a viewer cap needs the count.
    const webrtc = settings.hlsViewerCap > 0 ? (await counts(session.id)).webrtc : 0
    return chooseViewerMode({
      role: session.role,
      room: session.room,
      onStage: onStage !== null,
      watchingHls,
      lectureMode: lectureMode === '1',
      viewerCap: settings.hlsViewerCap,
      webrtcViewers: webrtc,
      triggerActive: load?.active ?? false,
      streamAvailable,
    })
  }

  const track = (sessionId: number, socketId: string, mode: ViewerMode) => state.hset(viewersKey(sessionId), socketId, mode)
  const watches = async (sessionId: number, socketId: string) => ((await state.hget(viewersKey(sessionId), socketId)) as ViewerMode | null) ?? null
  const forget = (sessionId: number, socketId: string) => state.hdel(viewersKey(sessionId), socketId)

  /** Teachers and admins: how many watch over WebRTC and over HLS, and the load of the class's media worker. */
  realtime.on('video:viewers', {
    roles: ['teacher'],
    validator: vine.compile(vine.object({})),
    async handle({ session }) {
      const [{ load, streamAvailable }, lectureMode, viewers] = await Promise.all([
        trigger(session.id, session.schoolId),
        state.get(lectureKey(session.id)),
        counts(session.id),
      ])
      return {
        ...viewers,
        cpu: load?.cpu ?? null,
        workerPid: load?.workerPid ?? null,
        triggerActive: load?.active ?? false,
        lectureMode: lectureMode === '1',
        streamAvailable,
      }
    },
  })

  /** The teacher's manual lecture mode: every new student joiner watches over HLS (existing viewers stay). */
  realtime.on('video:lecture_mode', {
    roles: ['teacher'],
    validator: vine.compile(vine.object({ on: vine.boolean({ strict: true }) })),
    async handle({ payload, session }) {
      if (payload.on) await state.set(lectureKey(session.id), '1', DAY_MS)
      else await state.del(lectureKey(session.id))
      realtime.toTeachers(session.id).emit('video:lecture_mode', { on: payload.on })
      return null
    },
  })

  /** Brings a student (typically a raised hand) on stage: their tabs switch to WebRTC and may send media. */
  realtime.on('video:on_stage', {
    roles: ['teacher'],
    validator: vine.compile(vine.object({ userId: vine.number().withoutDecimals().positive(), on: vine.boolean({ strict: true }) })),
    async handle({ payload, session }) {
      await realtime.requireParticipant(session, payload.userId, { sameRoom: true })
      if (payload.userId === session.teacherId) throw new RealtimeError('invalid', 'The teacher is always on stage')
      if (payload.on && (await state.hget(onStageKey(session.id), String(payload.userId))) === null) {
        const [{ settings, load }, { webrtc }] = await Promise.all([trigger(session.id, session.schoolId), counts(session.id)])
        const refusal = stageRefusal({ cpu: load?.cpu ?? null, enterAt: triggerParams(settings).enterAt, viewerCap: settings.hlsViewerCap, webrtcViewers: webrtc })
        if (refusal) throw new RealtimeError('conflict', STAGE_REFUSED[refusal], { reason: refusal, cpu: load?.cpu ?? null, webrtcViewers: webrtc })
      }
      if (payload.on) await state.hset(onStageKey(session.id), String(payload.userId), '1')
      else await state.hdel(onStageKey(session.id), String(payload.userId))
      realtime.toUser(payload.userId).emit('video:rejoin', { reason: payload.on ? 'on_stage' : 'off_stage' })
      return null
    },
  })

  host.events.on('class:ended', async ({ sessionId }) => {
    await Promise.all([state.del(viewersKey(sessionId)), state.del(lectureKey(sessionId)), state.del(onStageKey(sessionId))])
  })

  return { modeFor, track, watches, forget }
}

const neutral = {
  onStage: false,
  watchingHls: false,
  lectureMode: false,
  viewerCap: 0,
  webrtcViewers: 0,
  triggerActive: false,
  streamAvailable: false,
}
