import { reactive, markRaw } from 'vue'
import type { ClassroomContext } from '~/classroom/context'
import { MediaSession, type RemoteStream } from './media_session'
import type { MediaSource, ProducerView, StageMode } from '../events'

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
  notice: string | null
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

function describe(error: unknown) {
  const name = (error as DOMException)?.name
  if (name === 'NotAllowedError' || name === 'SecurityError') {
    return 'Camera and microphone are blocked. Allow them in the browser’s address bar, then press “Retry”.'
  }
  if (name === 'NotFoundError' || name === 'OverconstrainedError') return 'No camera or microphone was found on this device.'
  if (name === 'NotReadableError') return 'Your camera or microphone is used by another application.'
  return (error as Error)?.message ?? 'Media error'
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
    notice: null,
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

  const applyStage = (mode: StageMode) => {
    state.stage = mode
    const whiteboard = classroom.state.plugins.whiteboard?.enabled
    classroom.state.stage = mode === 'whiteboard' && whiteboard ? 'whiteboard:board' : 'video:stage'
  }

  async function acquire() {
    state.problem = null
    const settings = classroom.state.plugins.video?.settings as { studentsJoinMuted?: boolean } | undefined
    try {
      const stream = await navigator.mediaDevices.getUserMedia({
        audio: {
          deviceId: state.micId ? { exact: state.micId } : undefined,
          echoCancellation: true,
          noiseSuppression: true,
          autoGainControl: true,
        },
        video: { deviceId: state.camId ? { exact: state.camId } : undefined, width: { ideal: 1280 }, height: { ideal: 720 } },
      })
      tracks.mic = stream.getAudioTracks()[0] ?? null
      tracks.camera = stream.getVideoTracks()[0] ?? null
      state.localCamera = markRaw(new MediaStream(tracks.camera ? [tracks.camera] : []))
      if (!state.micId && tracks.mic) state.micOn = !(settings?.studentsJoinMuted && !classroom.isTeacher())
      if (!state.camId && tracks.camera) state.camOn = true
    } catch (error) {
      state.problem = describe(error)
    }
    const devices = await navigator.mediaDevices.enumerateDevices().catch(() => [])
    state.devices = {
      audio: devices.filter((d) => d.kind === 'audioinput'),
      video: devices.filter((d) => d.kind === 'videoinput'),
    }
  }

  async function publish() {
    if (tracks.mic) await session.produce('mic', tracks.mic, !state.micOn)
    if (tracks.camera) await session.produce('camera', tracks.camera, !state.camOn)
    if (tracks.screen) await session.produce('screen', tracks.screen)
  }

  async function connect() {
    state.status = 'connecting'
    state.remotes = {}
    try {
      const joined = await session.join()
      if (!joined) return
      const announced = pending
      pending = []
      for (const view of announced) await session.consume(view).catch(() => {})
      applyStage(joined.stage)
      if (!tracks.mic && !tracks.camera) await acquire()
      await publish()
      state.status = 'live'
    } catch (error) {
      state.status = 'unavailable'
      state.notice = (error as Error).message
    }
  }

  classroom.onJoined(() => connect())
  /* Producers announced while (re)joining are consumed once the transports exist. */
  let pending: ProducerView[] = []
  classroom.on('video:producer_added', (view) => {
    if (view.userId === classroom.state.you?.userId) return
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
    state.notice = `${by} turned off your ${source === 'mic' ? 'microphone' : 'camera'}`
  })

  async function toggle(source: 'mic' | 'camera') {
    const key = source === 'mic' ? 'micOn' : 'camOn'
    const next = !state[key]
    if (!tracks[source]) return
    state[key] = next
    await session.setPaused(source, !next)
  }

  async function toggleScreen() {
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
      state.notice = describe(error)
    }
  }

  async function chooseDevices(micId: string | null, camId: string | null) {
    state.micId = micId
    state.camId = camId
    tracks.mic?.stop()
    tracks.camera?.stop()
    tracks = { ...tracks, mic: null, camera: null }
    await acquire()
    if (state.status === 'live') {
      if (tracks.mic) await session.produce('mic', tracks.mic, !state.micOn)
      if (tracks.camera) await session.produce('camera', tracks.camera, !state.camOn)
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

  function remotesOf(userId: number, source: MediaSource) {
    return Object.values(state.remotes).find((r) => r.userId === userId && r.source === source) ?? null
  }

  exposeForDiagnostics(state, session)
  return { state, session, toggle, toggleScreen, chooseDevices, retry, setStage, forceOff, remotesOf }
}

/** Read-only media diagnostics on window.__aulaVideo (used by support staff and the browser tests). */
function exposeForDiagnostics(state: VideoState, session: MediaSession) {
  ;(window as any).__aulaVideo = {
    status: () => state.status,
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
