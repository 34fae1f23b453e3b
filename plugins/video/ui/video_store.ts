import { reactive, markRaw } from 'vue'
import type { ClassroomContext } from '~/classroom/context'
import { MediaSession, type RemoteStream } from './media_session'
import type { MediaSource, NetworkQuality, ProducerView, StageMode } from '../events'
import { loadDevicePrefs, resolveDevice, saveDevicePrefs } from './device_prefs'
import { startQualityMonitor, type NetworkSample } from './network_quality'
import { suppressNoise, type NoisePipeline } from './noise_suppression'
import { mediaErrorText } from './media_error_text'
import { i18n } from '~/i18n'

export interface VideoState {
  status: 'idle' | 'connecting' | 'live' | 'unavailable'
  problem: string | null
  micOn: boolean
  camOn: boolean
  sharing: boolean
  localCamera: MediaStream | null
  localScreen: MediaStream | null
  remotes: Record<string, RemoteStream>
  activeSpeaker: number | null
  stage: StageMode
  devices: { audio: MediaDeviceInfo[]; video: MediaDeviceInfo[] }
  micId: string | null
  camId: string | null
  /** The speaker remembered by the device check (null: the browser's default). */
  speakerId: string | null
  notice: string | null
  /** 'hls': this tab watches the class's HLS stream at hlsUrl (a large lecture, issue 14) and sends no media. */
  mode: 'webrtc' | 'hls'
  hlsUrl: string | null
  /** This tab's own connection quality (null until the first sample). */
  quality: NetworkQuality | null
  /** Audio only: no video received or sent, for a weak link. */
  audioOnly: boolean
  /** Teachers: each participant's reported connection quality. */
  peerQuality: Record<number, NetworkQuality>
  /** The microphone goes through RNNoise (the school's strongNoiseSuppression, students only). */
  strongNoiseSuppression: boolean
}

const stores = new WeakMap<object, ReturnType<typeof createStore>>()

/** One media store per classroom page, shared by the stage, the toolbar and the tiles. */
export function videoStore(classroom: ClassroomContext) {
  let store = stores.get(classroom.socket)
  if (!store) {
    store = createStore(classroom)
    stores.set(classroom.socket, store)
  }
  return store
}

function createStore(classroom: ClassroomContext) {
  const state = reactive<VideoState>({
    status: 'idle',
    problem: null,
    micOn: false,
    camOn: false,
    sharing: false,
    localCamera: null,
    localScreen: null,
    remotes: {},
    activeSpeaker: null,
    stage: 'video',
    devices: { audio: [], video: [] },
    micId: null,
    camId: null,
    speakerId: loadDevicePrefs().speakerId,
    notice: null,
    mode: 'webrtc',
    hlsUrl: null,
    quality: null,
    audioOnly: false,
    peerQuality: {},
    strongNoiseSuppression: false,
  })
  const session = new MediaSession(classroom, {
    onRemote: (stream) => (state.remotes[stream.producerId] = markRaw(stream) as RemoteStream),
    onRemoteClosed: (producerId) => delete state.remotes[producerId],
    onRemotePaused: (producerId, paused) => {
      const remote = state.remotes[producerId]
      if (remote) state.remotes[producerId] = markRaw({ ...remote, paused }) as RemoteStream
    },
  })
  let tracks: { mic: MediaStreamTrack | null; camera: MediaStreamTrack | null; screen: MediaStreamTrack | null } = {
    mic: null,
    camera: null,
    screen: null,
  }
  /** RNNoise on the microphone, when the school asks for it (its output is what the tab sends). */
  let noise: NoisePipeline | null = null
  const micTrack = () => noise?.track ?? tracks.mic
  let lastSample: NetworkSample | null = null

  let stageShown = false
  const applyStage = (mode: StageMode) => {
    stageShown = true
    state.stage = mode
    const whiteboard = classroom.state.plugins.whiteboard?.enabled
    classroom.state.stage = mode === 'whiteboard' && whiteboard ? 'whiteboard:board' : 'video:stage'
  }
  /**
   * A (re)join shows the class's stage only when the teacher changed it since: what a viewer chose
   * with the stage switch survives a reconnect, being brought on stage or a media server restart.
   */
  const followStage = (mode: StageMode) => {
    if (!stageShown || mode !== state.stage) applyStage(mode)
  }
  /** Completed joins of this tab (diagnostics: a rejoin is visible to tests and support). */
  let joins = 0

  /** The device check's remembered choices (device_prefs.ts), as ids of the devices present now. */
  async function rememberedDevices() {
    const prefs = loadDevicePrefs()
    const none = { mic: undefined, cam: undefined }
    if (!prefs.micId && !prefs.micLabel && !prefs.camId && !prefs.camLabel) return none
    const known = await navigator.mediaDevices.enumerateDevices().catch(() => [] as MediaDeviceInfo[])
    // A device present now is asked for exactly. Before this page has opened a device the browser may
    // hide ids and labels: then the remembered id is asked for as it is, as `ideal` (a vanished device
    // falls back to the default).
    const pick = (kind: MediaDeviceKind, id: string | null, label: string | null) => {
      const found = resolveDevice(known.filter((d) => d.kind === kind), id, label)
      return found ? { exact: found } : id ? { ideal: id } : undefined
    }
    return { mic: pick('audioinput', prefs.micId, prefs.micLabel), cam: pick('videoinput', prefs.camId, prefs.camLabel) }
  }

  async function startNoiseSuppression() {
    noise?.close()
    noise = null
    const settings = classroom.state.plugins.video?.settings as { strongNoiseSuppression?: boolean } | undefined
    state.strongNoiseSuppression = false
    if (!tracks.mic || !settings?.strongNoiseSuppression || classroom.isTeacher()) return
    try {
      noise = await suppressNoise(tracks.mic)
      state.strongNoiseSuppression = true
    } catch (error) {
      // The browser's own noise suppression still runs; the class goes on without RNNoise.
      console.warn('RNNoise unavailable', error)
    }
  }

  /** getUserMedia; when a remembered device cannot be opened (gone, busy), the browser's defaults instead. */
  async function getUserMediaOr(remembered: { mic: unknown; cam: unknown }, constraints: MediaStreamConstraints) {
    try {
      return await navigator.mediaDevices.getUserMedia(constraints)
    } catch (error) {
      const name = (error as DOMException)?.name
      if (!(remembered.mic || remembered.cam) || (name !== 'OverconstrainedError' && name !== 'NotReadableError' && name !== 'NotFoundError')) throw error
      const plain = (c: MediaTrackConstraints) => ({ ...c, deviceId: undefined })
      return navigator.mediaDevices.getUserMedia({
        audio: plain(constraints.audio as MediaTrackConstraints),
        video: plain(constraints.video as MediaTrackConstraints),
      })
    }
  }

  async function acquire() {
    state.problem = null
    const settings = classroom.state.plugins.video?.settings as { studentsJoinMuted?: boolean } | undefined
    const remembered = state.micId && state.camId ? { mic: undefined, cam: undefined } : await rememberedDevices()
    try {
      const stream = await getUserMediaOr(remembered, {
        audio: {
          deviceId: state.micId ? { exact: state.micId } : remembered.mic,
          echoCancellation: true,
          noiseSuppression: true,
          autoGainControl: true,
        },
        video: { deviceId: state.camId ? { exact: state.camId } : remembered.cam, width: { ideal: 1280 }, height: { ideal: 720 } },
      })
      tracks.mic = stream.getAudioTracks()[0] ?? null
      tracks.camera = stream.getVideoTracks()[0] ?? null
      state.localCamera = markRaw(new MediaStream(tracks.camera ? [tracks.camera] : []))
      if (!state.micId && tracks.mic) state.micOn = !(settings?.studentsJoinMuted && !classroom.isTeacher())
      if (!state.camId && tracks.camera) state.camOn = !state.audioOnly
      await startNoiseSuppression()
    } catch (error) {
      state.problem = mediaErrorText(error)
    }
    const devices = await navigator.mediaDevices.enumerateDevices().catch(() => [])
    state.devices = {
      audio: devices.filter((d) => d.kind === 'audioinput'),
      video: devices.filter((d) => d.kind === 'videoinput'),
    }
  }

  async function publish() {
    const mic = micTrack()
    if (mic) await session.produce('mic', mic, !state.micOn)
    if (tracks.camera) await session.produce('camera', tracks.camera, !state.camOn)
    if (tracks.screen) await session.produce('screen', tracks.screen)
  }

  async function connect() {
    state.status = 'connecting'
    state.remotes = {}
    try {
      const joined = await session.join()
      if (!joined) return
      state.mode = joined.mode
      state.hlsUrl = joined.hlsUrl
      if (joined.mode === 'hls') {
        pending = []
        stopLocalTracks()
        followStage(joined.stage)
        state.status = 'live'
        joins++
        return
      }
      const announced = pending
      pending = []
      for (const view of announced) await session.consume(view).catch(() => {})
      followStage(joined.stage)
      // A rejoin (reset, breakout room) keeps audio-only: the new media peer pauses its video again.
      if (state.audioOnly) await classroom.request('video:audio_only', { on: true })
      if (!tracks.mic && !tracks.camera) await acquire()
      await publish()
      state.status = 'live'
      joins++
      monitor.forget()
    } catch (error) {
      state.status = 'unavailable'
      state.notice = mediaErrorText(error)
    }
  }

  /** An HLS viewer sends nothing: its camera and microphone are released. */
  function stopLocalTracks() {
    noise?.close()
    noise = null
    for (const track of [tracks.mic, tracks.camera, tracks.screen]) track?.stop()
    tracks = { mic: null, camera: null, screen: null }
    state.localCamera = null
    state.localScreen = null
    state.sharing = false
  }

  /* Own connection quality: shown to the person, reported to the server (which tells the teachers). */
  const monitor = startQualityMonitor({
    transports: () => ({ send: session.send, recv: session.recv }),
    alive: () => (classroom.socket as { active?: boolean }).active !== false,
    sendingVideo: () => state.camOn && !!tracks.camera,
    onLevel: (level, sample) => {
      state.quality = level
      lastSample = sample
    },
    report: (level, sample) => {
      if (state.status !== 'live' || state.mode === 'hls') return
      const payload: { level: NetworkQuality; rttMs?: number; lossPercent?: number } = { level }
      if (sample.rttMs !== null) payload.rttMs = Math.min(60_000, Math.round(sample.rttMs))
      if (sample.lossPercent !== null) payload.lossPercent = Math.min(100, Math.round(sample.lossPercent * 10) / 10)
      classroom.request('video:quality', payload).catch(() => monitor.forget())
    },
  })
  classroom.on('video:peer_quality', ({ userId, level }) => (state.peerQuality[userId] = level))
  classroom.onJoined(() => connect())
  /* Brought on stage (or taken off it) by the teacher: join again, WebRTC or HLS as the server says. */
  classroom.on('video:rejoin', () => connect())
  /* Producers announced while (re)joining are consumed once the transports exist. */
  let pending: ProducerView[] = []
  classroom.on('video:producer_added', (view) => {
    if (view.userId === classroom.state.you?.userId || state.mode === 'hls') return
    if (session.recv) session.consume(view).catch(() => {})
    else pending.push(view)
  })
  classroom.on('video:producer_closed', ({ producerId }) => session.removeConsumer(producerId))
  classroom.on('video:producer_paused', ({ producerId, paused }) => {
    const remote = state.remotes[producerId]
    if (remote) state.remotes[producerId] = markRaw({ ...remote, paused }) as RemoteStream
  })
  classroom.on('video:active_speaker', ({ userId }) => (state.activeSpeaker = userId))
  classroom.on('video:reset', () => connect())
  classroom.on('video:stage', ({ mode }) => applyStage(mode))
  classroom.on('video:forced_off', ({ source, by }) => {
    if (source === 'mic') state.micOn = false
    else state.camOn = false
    state.notice = i18n.global.t(source === 'mic' ? 'video.forcedOff.mic' : 'video.forcedOff.camera', { name: by })
  })

  async function toggle(source: 'mic' | 'camera') {
    const key = source === 'mic' ? 'micOn' : 'camOn'
    const next = !state[key]
    if (!tracks[source] || (source === 'camera' && state.audioOnly)) return
    state[key] = next
    await session.setPaused(source, !next)
  }

  async function toggleScreen() {
    if (state.mode === 'hls') return
    if (state.sharing) {
      tracks.screen?.stop()
      tracks.screen = null
      state.localScreen = null
      state.sharing = false
      await session.stop('screen')
      return
    }
    try {
      const stream = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: false })
      tracks.screen = stream.getVideoTracks()[0]
      tracks.screen.addEventListener('ended', () => state.sharing && toggleScreen())
      state.localScreen = markRaw(new MediaStream([tracks.screen]))
      state.sharing = true
      await session.produce('screen', tracks.screen)
      if (classroom.isTeacher()) await setStage('screen')
    } catch (error) {
      state.sharing = false
      // Closing the browser's screen picker is a choice, not a problem.
      const name = (error as DOMException | null)?.name
      if (name !== 'NotAllowedError' && name !== 'AbortError') state.notice = i18n.global.t('video.mediaErrors.screen')
    }
  }

  async function chooseDevices(micId: string | null, camId: string | null) {
    state.micId = micId
    state.camId = camId
    noise?.close()
    noise = null
    tracks.mic?.stop()
    tracks.camera?.stop()
    tracks = { ...tracks, mic: null, camera: null }
    await acquire()
    // Remembered in this browser, like the device check's choices.
    const label = (list: MediaDeviceInfo[], id: string | null) => list.find((d) => d.deviceId === id)?.label ?? null
    if (micId || camId) {
      saveDevicePrefs({
        ...(micId ? { micId, micLabel: label(state.devices.audio, micId) } : {}),
        ...(camId ? { camId, camLabel: label(state.devices.video, camId) } : {}),
      })
    }
    if (state.status === 'live') {
      const mic = micTrack()
      if (mic) await session.produce('mic', mic, !state.micOn)
      if (tracks.camera) await session.produce('camera', tracks.camera, !state.camOn)
    }
  }

  /**
   * Audio only (one tap, for a weak link): the server stops sending this tab any video (its video
   * consumers are paused in the SFU) and the tab stops sending its camera. Off again: both come back.
   */
  let cameraBeforeAudioOnly = false
  async function setAudioOnly(on: boolean) {
    if (state.audioOnly === on) return
    state.audioOnly = on
    if (on) {
      cameraBeforeAudioOnly = state.camOn
      if (state.camOn) {
        state.camOn = false
        await session.setPaused('camera', true)
      }
    }
    // The SFU stops sending (that is what saves the link); the tiles show initials meanwhile.
    if (state.status === 'live') await classroom.request('video:audio_only', { on })
    if (!on && cameraBeforeAudioOnly && tracks.camera) {
      state.camOn = true
      await session.setPaused('camera', false)
    }
  }

  async function retry() {
    await chooseDevices(state.micId, state.camId)
  }

  function setStage(mode: StageMode) {
    return classroom.request('video:stage', { mode })
  }

  function forceOff(userId: number, source: 'mic' | 'camera') {
    return classroom.request('video:force_off', { userId, source })
  }

  /** Teacher: brings a student (a raised hand) on stage — their tabs leave HLS for WebRTC. */
  function bringOnStage(userId: number) {
    return classroom.request('video:on_stage', { userId, on: true })
  }

  function remotesOf(userId: number, source: MediaSource) {
    return Object.values(state.remotes).find((r) => r.userId === userId && r.source === source) ?? null
  }

  exposeForDiagnostics(state, session, {
    joins: () => joins,
    localDevices: () => ({
      mic: tracks.mic?.label ?? null,
      camera: tracks.camera?.label ?? null,
      micId: tracks.mic?.getSettings().deviceId ?? null,
      cameraId: tracks.camera?.getSettings().deviceId ?? null,
    }),
    micPipeline: () => {
      const produced = session.producers.get('mic')?.track ?? null
      return {
        worklet: noise ? noise.node instanceof AudioWorkletNode : false,
        processorError: noise?.failed() ?? false,
        contextState: noise?.context.state ?? null,
        rawTrackId: tracks.mic?.id ?? null,
        processedTrackId: noise?.track.id ?? null,
        producedTrackId: produced?.id ?? null,
      }
    },
    lastSample: () => lastSample,
    producedMicTrack: () => session.producers.get('mic')?.track ?? null,
  })
  return { state, session, toggle, toggleScreen, chooseDevices, retry, setStage, forceOff, bringOnStage, remotesOf, setAudioOnly }
}

/** Read-only media diagnostics on window.__aulaVideo (used by support staff and the browser tests). */
function exposeForDiagnostics(state: VideoState, session: MediaSession, local: Record<string, () => unknown>) {
  ;(window as any).__aulaVideo = {
    ...local,
    status: () => state.status,
    /** 'webrtc' or 'hls' (issue 14: this tab watches the class's HLS stream). */
    mode: () => state.mode,
    quality: () => state.quality,
    audioOnly: () => state.audioOnly,
    peerQuality: () => ({ ...state.peerQuality }),
    iceRestarts: () => session.iceRestarts,
    /** The local candidate type ('host', 'srflx', 'relay') of each transport's selected ICE pair. */
    async candidateTypes() {
      const types: Record<string, string | null> = {}
      for (const [name, transport] of [['send', session.send], ['recv', session.recv]] as const) {
        const report: any = await transport?.getStats()
        let type: string | null = null
        report?.forEach((s: any) => {
          if (s.type !== 'transport' || !s.selectedCandidatePairId) return
          const pair = report.get(s.selectedCandidatePairId)
          type = report.get(pair?.localCandidateId)?.candidateType ?? null
        })
        types[name] = type
      }
      return types
    },
    remotes: () =>
      Object.values(state.remotes).map(({ userId, source, kind, paused, track }) => ({ userId, source, kind, paused, trackId: track.id })),
    async inbound() {
      const report = await session.recv?.getStats()
      const rows: { kind: string; bytesReceived: number; framesDecoded: number; trackId: string }[] = []
      report?.forEach((s: any) => {
        if (s.type === 'inbound-rtp') {
          rows.push({ kind: s.kind, bytesReceived: s.bytesReceived ?? 0, framesDecoded: s.framesDecoded ?? 0, trackId: s.trackIdentifier })
        }
      })
      return rows
    },
  }
}

export type VideoStore = ReturnType<typeof createStore>
export type { MediaSource }
