/*
| The one typed contract between web processes and media sidecars.
| Both sides import it; `RpcClient.call` and the sidecar's handler table are
| checked against it by tsc.
*/
import type { types } from 'mediasoup'

export type RtpCapabilities = types.RtpCapabilities
export type RtpParameters = types.RtpParameters
export type DtlsParameters = types.DtlsParameters
export type SrtpParameters = types.SrtpParameters
export type IceParameters = types.IceParameters

export interface TransportOptions {
  id: string
  iceParameters: types.IceParameters
  iceCandidates: types.IceCandidate[]
  dtlsParameters: DtlsParameters
}

export interface ProducerInfo {
  producerId: string
  peerId: string
  kind: 'audio' | 'video'
  paused: boolean
  appData: Record<string, unknown>
}

export interface WorkerLoad {
  pid: number
  /** Share of one core used since the previous sample, 0..1 (from worker.getResourceUsage() deltas). */
  cpu: number
  routers: number
  transports: number
  producers: number
  consumers: number
}

export interface LoadReport {
  sidecarId: string
  workers: WorkerLoad[]
  /** Mean CPU share over the workers, 0..1. */
  cpu: number
  rooms: number
  transports: number
  producers: number
  consumers: number
  at: number
}

/** One continuous piece of a recording: a new part starts whenever its encoder (or sidecar) had to restart. */
export interface RecordingPart {
  partId: string
  recordingKey: string
  /** Wall-clock ms of the part's first frame. */
  startedAt: number
  width: number
  height: number
  fps: number
}

export interface RecordingBoardScene {
  /** Live Excalidraw elements of the page. */
  elements: unknown[]
  /** Slide images the elements show, as data URLs (sent once per sidecar renderer is enough; more is harmless). */
  files: { id: string; mimeType: string; dataURL: string }[]
}

export interface RecordingStatus {
  recordingKey: string
  roomKey: string
  state: 'recording' | 'stopping' | 'stopped'
  parts: RecordingPart[]
  encoderPid: number | null
  decoderPids: number[]
  rendererPid: number | null
  inputs: { key: string; kind: 'audio' | 'video'; hasPicture: boolean; mixing: boolean; decoderError: string | null }[]
  layout: { screen: string | null; teacher: string | null; teacherOnStage: boolean; speaker: string | null; board: boolean }
  boardError: string | null
  /** Time not recorded because FFmpeg read nothing for a long while although pictures were left out (the clock paused). */
  skippedMs: number
  /** Changed pictures left out because FFmpeg had not taken the ones before (it repeats the last one meanwhile). */
  leftOutPictures: number
}

export interface RpcMethods {
  /** Idempotent create-or-get of the router of a room key such as `s12:main`. */
  'room.ensure': {
    params: { roomKey: string }
    result: { roomKey: string; routerId: string; workerPid: number; rtpCapabilities: RtpCapabilities; created: boolean }
  }
  'room.capabilities': { params: { roomKey: string }; result: { rtpCapabilities: RtpCapabilities } }
  'room.close': { params: { roomKey: string }; result: { closed: boolean } }
  'room.list': { params: Record<string, never>; result: { roomKeys: string[] } }
  'room.producers': { params: { roomKey: string }; result: { producers: ProducerInfo[] } }
  /** A WebRTC transport on MEDIA_LISTEN_IP / MEDIA_ANNOUNCED_IP, ports MEDIA_RTC_MIN_PORT..MEDIA_RTC_MAX_PORT. */
  'transport.create': {
    params: { roomKey: string; peerId: string; direction: 'send' | 'recv' }
    result: TransportOptions
  }
  'transport.connect': { params: { transportId: string; dtlsParameters: DtlsParameters }; result: null }
  'transport.close': { params: { transportId: string }; result: null }
  /** New ICE username fragment and password for a WebRTC transport (the browser restarts ICE with them). */
  'transport.restartIce': { params: { transportId: string }; result: { iceParameters: IceParameters } }
  'producer.create': {
    params: { transportId: string; kind: 'audio' | 'video'; rtpParameters: RtpParameters; appData: Record<string, unknown> }
    result: { producerId: string }
  }
  'producer.pause': { params: { producerId: string }; result: null }
  'producer.resume': { params: { producerId: string }; result: null }
  'producer.close': { params: { producerId: string }; result: null }
  /** Consumers are always created paused: resume once the browser has set up its receiver. */
  'consumer.create': {
    params: { transportId: string; producerId: string; rtpCapabilities: RtpCapabilities }
    result: { consumerId: string; producerId: string; kind: 'audio' | 'video'; rtpParameters: RtpParameters; producerPaused: boolean }
  }
  'consumer.resume': { params: { consumerId: string }; result: null }
  /** Stops forwarding to this consumer (audio-only mode of its receiver); consumer.resume starts again with a key frame. */
  'consumer.pause': { params: { consumerId: string }; result: null }
  'consumer.setPreferredLayers': { params: { consumerId: string; spatialLayer: number; temporalLayer?: number }; result: null }
  'consumer.close': { params: { consumerId: string }; result: null }
  'peer.close': { params: { roomKey: string; peerId: string }; result: { closedTransports: number } }
  /**
   * Plain RTP in or out (FFmpeg sources, recording, benches). comedia: learn the remote address from the first packet.
   * srtp: encrypt/decrypt with SRTP (AES_CM_128_HMAC_SHA1_80); the result carries the sidecar's key, and
   * `plainTransport.connect` must then give the remote end's `srtpParameters`.
   */
  'plainTransport.create': {
    params: { roomKey: string; peerId: string; comedia: boolean; rtcpMux: boolean; srtp?: boolean }
    result: { transportId: string; ip: string; port: number; rtcpPort?: number; srtpParameters?: SrtpParameters }
  }
  'plainTransport.connect': {
    params: { transportId: string; ip: string; port: number; rtcpPort?: number; srtpParameters?: SrtpParameters }
    result: null
  }
  'stats.load': { params: Record<string, never>; result: LoadReport }
  'stats.transport': { params: { transportId: string }; result: { stats: unknown[] } }
  'stats.producer': { params: { producerId: string }; result: { stats: unknown[] } }
  'stats.consumer': { params: { consumerId: string }; result: { stats: unknown[] } }
  /**
   * Starts recording a room (idempotent per recordingKey: a running recording answers started: false).
   * The sidecar consumes the room's producers itself (never a participant), composes the class and
   * writes 2 s fMP4 segments to storage as it goes; see docs/recording.md.
   */
  'recording.start': {
    params: { recordingKey: string; roomKey: string; width: 1280 | 1920; height: 720 | 1080; teacherUserIds: number[] }
    result: { started: boolean; parts: RecordingPart[] }
  }
  /** The teacher's current whiteboard page; snapshots older than the last one (takenAt, ms) are ignored. */
  'recording.board': { params: { recordingKey: string; scene: RecordingBoardScene; takenAt: number }; result: null }
  /** Completes the last part and waits (up to ~20 s) until every part is in storage. Unknown keys still flush their spool. */
  'recording.stop': { params: { recordingKey: string }; result: { parts: RecordingPart[]; uploaded: boolean } }
  'recording.status': { params: { recordingKey: string }; result: RecordingStatus }
  'recording.list': { params: Record<string, never>; result: { recordingKeys: string[] } }
  /**
   * HLS fallback (issue 14): whether the trigger of the worker that hosts the room holds with these
   * parameters (CPU shares 0..1 of one core, windows in ms; hysteresis between enterAt and leaveBelow),
   * from the worker's CPU sampled every MEDIA_LOAD_REPORT_MS. See app/media/sidecar/hls/.
   */
  'hls.trigger': {
    params: { roomKey: string; enterAt: number; enterForMs: number; leaveBelow: number; leaveForMs: number }
    result: { active: boolean; changedAt: number | null; cpu: number; workerPid: number }
  }
  /** Whether the room's live HLS stream is being written (its encoder ran within the last few seconds). */
  'hls.status': { params: { roomKey: string }; result: { available: boolean } }
  /**
   * One file of a room's live HLS stream (live.m3u8, init_<part>.mp4, seg_<n>.m4s), base64; not_found when
   * absent. The web processes serve it to the class over HTTP (the sidecar may be on another host).
   */
  'hls.read': { params: { roomKey: string; file: string }; result: { base64: string; contentType: string } }
  /** Test-only (MEDIA_RPC_TEST_METHODS=1): every worker's CPU samples read as this share of a core from now on (null: measured again). */
  'debug.cpu': { params: { cpu: number | null }; result: null }
  /** Test-only (MEDIA_RPC_TEST_METHODS=1): kills a recording's encoder, decoders or board renderer (fault drills). */
  'debug.recordingKill': { params: { recordingKey: string; what: 'encoder' | 'decoders' | 'renderer' }; result: null }
  /** Test-only (MEDIA_RPC_TEST_METHODS=1): a consumer's paused state and preferred simulcast layers (to prove a refused request changed nothing). */
  'debug.consumer': {
    params: { consumerId: string }
    result: { paused: boolean; preferredLayers: { spatialLayer: number; temporalLayer?: number } | null }
  }
  /** Test-only (MEDIA_RPC_TEST_METHODS=1): answers after `ms`, to exercise client time-outs. */
  'debug.sleep': { params: { ms: number }; result: null }
}

export interface RpcEvents {
  'transport.closed': { roomKey: string; transportId: string; peerId: string }
  'producer.closed': { roomKey: string; producerId: string; peerId: string }
  'consumer.closed': { roomKey: string; consumerId: string; producerId: string; peerId: string }
  /** A mediasoup worker died; it was replaced and its rooms got new routers (then 'room.recreated' each). */
  'worker.died': { pid: number; replacementPid: number; roomKeys: string[] }
  'room.recreated': { roomKey: string }
  /** The loudest audio producer of a room (AudioLevelObserver), or null after silence. Sent on change only. */
  'room.activeSpeaker': { roomKey: string; producerId: string | null; peerId: string | null; volume: number | null }
  'load.report': LoadReport
}

export type RpcMethod = keyof RpcMethods
export type ParamsOf<M extends RpcMethod> = RpcMethods[M]['params']
export type ResultOf<M extends RpcMethod> = RpcMethods[M]['result']
export type RpcEventName = keyof RpcEvents

export type RpcErrorCode = 'unauthenticated' | 'timeout' | 'not_found' | 'invalid' | 'disconnected' | 'internal'

/** Wire frames (newline-delimited JSON over TCP). */
export type Frame =
  | { type: 'challenge'; nonce: string }
  | { type: 'auth'; nonce: string; hmac: string }
  | { type: 'ready'; sidecarId: string }
  | { type: 'refused'; message: string }
  | { type: 'req'; id: number; method: RpcMethod; params: unknown }
  | { type: 'res'; id: number; ok: true; result: unknown }
  | { type: 'res'; id: number; ok: false; error: { code: RpcErrorCode; message: string } }
  | { type: 'event'; name: RpcEventName; data: unknown }
