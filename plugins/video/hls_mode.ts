/*
| Which way a new viewer watches a class (issue 14): WebRTC through the SFU, or the class's HLS
| stream (one encode per class instead of one forward per viewer). Pure rules, unit-tested.
*/
import type { TriggerParams } from '#app/media/sidecar/hls/cpu_trigger'

export type ViewerMode = 'webrtc' | 'hls'

export interface HlsSettings {
  hlsCpuPercent: number
  hlsCpuSeconds: number
  hlsLeavePercent: number
  hlsLeaveSeconds: number
  hlsViewerCap: number
}

export interface JoinContext {
  role: 'teacher' | 'student'
  /** 'main' or a breakout room. */
  room: string
  /** A teacher brought this student on stage (a raised hand): they need to send media. */
  onStage: boolean
  /** This tab already watches the HLS stream and joins again (a media server restart resets every tab). */
  watchingHls: boolean
  /** The teacher's manual lecture mode for the class. */
  lectureMode: boolean
  /** The school's viewer cap (0 = none) and the class's current WebRTC viewers. */
  viewerCap: number
  webrtcViewers: number
  /** The trigger of the worker hosting the class holds. */
  triggerActive: boolean
  /** The class's HLS stream is being written (its encoder runs). */
  streamAvailable: boolean
}

export type ModeReason = 'teacher' | 'breakout' | 'on_stage' | 'kept' | 'no_stream' | 'lecture_mode' | 'viewer_cap' | 'cpu' | 'normal'

export function chooseViewerMode(c: JoinContext): { mode: ViewerMode; reason: ModeReason } {
  if (c.role === 'teacher') return { mode: 'webrtc', reason: 'teacher' }
  if (c.room !== 'main') return { mode: 'webrtc', reason: 'breakout' }
  if (c.onStage) return { mode: 'webrtc', reason: 'on_stage' }
  /*
   * Viewers keep their way of watching: a restarted media server has no load history yet, and moving
   * its HLS crowd back to WebRTC at once would load it again. Their player waits for the stream.
   */
  if (c.watchingHls) return { mode: 'hls', reason: 'kept' }
  const wanted: ModeReason | null = c.lectureMode
    ? 'lecture_mode'
    : c.viewerCap > 0 && c.webrtcViewers >= c.viewerCap
      ? 'viewer_cap'
      : c.triggerActive
        ? 'cpu'
        : null
  if (!wanted) return { mode: 'webrtc', reason: 'normal' }
  /* No stream to watch (the encoder is not running): WebRTC rather than a black player. */
  if (!c.streamAvailable) return { mode: 'webrtc', reason: 'no_stream' }
  return { mode: 'hls', reason: wanted }
}

export interface StageContext {
  /** CPU share of the worker hosting the class now (0..1), null when its sidecar did not answer. */
  cpu: number | null
  /** The school's CPU threshold (0..1). */
  enterAt: number
  /** The school's viewer cap (0 = none) and the class's current WebRTC viewers. */
  viewerCap: number
  webrtcViewers: number
}

export type StageRefusal = 'cpu' | 'viewer_cap' | 'no_media'

/**
 * Whether the class has room for one more WebRTC participant brought on stage, or why not: its
 * media worker is at or above the school's CPU threshold right now, the viewer cap is reached, or the
 * media server does not answer. (A trigger still holding after the CPU fell below the threshold — its
 * exit hysteresis — does not refuse: it keeps the crowd of new joiners on HLS, one speaker is fine.)
 */
export function stageRefusal(c: StageContext): StageRefusal | null {
  if (c.cpu === null) return 'no_media'
  if (c.viewerCap > 0 && c.webrtcViewers >= c.viewerCap) return 'viewer_cap'
  if (c.cpu >= c.enterAt) return 'cpu'
  return null
}

/** The sidecar trigger's parameters from a school's settings (percent and seconds). */
export function triggerParams(s: HlsSettings): TriggerParams {
  return {
    enterAt: s.hlsCpuPercent / 100,
    enterForMs: s.hlsCpuSeconds * 1000,
    leaveBelow: Math.min(s.hlsLeavePercent, s.hlsCpuPercent) / 100,
    leaveForMs: s.hlsLeaveSeconds * 1000,
  }
}
