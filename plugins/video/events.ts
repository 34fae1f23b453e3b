/* The video plugin's additions to the typed realtime event map and the event bus. */
import type { DtlsParameters, IceParameters, RtpCapabilities, RtpParameters, TransportOptions } from '#app/media/rpc/contract'
import type { IceServer, IceTransportPolicy } from '#app/media/turn'

export type MediaSource = 'mic' | 'camera' | 'screen'
export type StageMode = 'video' | 'screen' | 'whiteboard'
export type NetworkQuality = 'good' | 'fair' | 'poor'

export interface ProducerView {
  producerId: string
  userId: number
  fullName: string
  source: MediaSource
  kind: 'audio' | 'video'
  paused: boolean
}

declare module '#app/realtime/events' {
  interface ClientEvents {
    'video:join': {
      payload: Record<string, never>
      result: {
        roomKey: string
        rtpCapabilities: RtpCapabilities
        producers: ProducerView[]
        stage: StageMode
        /** TURN servers with short-lived credentials (empty without TURN_URLS); iceExpiresAt in unix seconds. */
        iceServers: IceServer[]
        iceExpiresAt: number | null
        /** 'relay' when TURN_RELAY_ONLY is set: the browser gathers relayed candidates only. */
        iceTransportPolicy: IceTransportPolicy
        /**
         * 'hls' (issue 14): this tab watches the class's HLS stream at `hlsUrl` and sends no media
         * (the media worker is loaded, lecture mode, or the viewer cap is reached); 'webrtc' otherwise.
         */
        mode: 'webrtc' | 'hls'
        hlsUrl: string | null
      }
    }
    'video:viewers': {
      payload: Record<string, never>
      result: {
        webrtc: number
        hls: number
        /** CPU share (0..1) of the media worker hosting the class, null when the sidecar did not answer. */
        cpu: number | null
        workerPid: number | null
        triggerActive: boolean
        lectureMode: boolean
        streamAvailable: boolean
      }
    }
    'video:lecture_mode': { payload: { on: boolean }; result: null }
    'video:on_stage': { payload: { userId: number; on: boolean }; result: null }
    'video:ice_servers': { payload: Record<string, never>; result: { iceServers: IceServer[]; iceExpiresAt: number | null } }
    'video:restart_ice': {
      payload: { transportId: string }
      result: { iceParameters: IceParameters; iceServers: IceServer[]; iceExpiresAt: number | null }
    }
    'video:transport': { payload: { direction: 'send' | 'recv' }; result: TransportOptions }
    'video:connect': { payload: { transportId: string; dtlsParameters: DtlsParameters }; result: null }
    'video:produce': {
      payload: { transportId: string; kind: 'audio' | 'video'; rtpParameters: RtpParameters; source: MediaSource; paused?: boolean }
      result: { producerId: string }
    }
    'video:consume': {
      payload: { transportId: string; producerId: string; rtpCapabilities: RtpCapabilities }
      result: { consumerId: string; producerId: string; kind: 'audio' | 'video'; rtpParameters: RtpParameters; producerPaused: boolean }
    }
    'video:resume_consumer': { payload: { consumerId: string }; result: null }
    'video:layers': { payload: { consumerId: string; spatialLayer: number }; result: null }
    'video:set_paused': { payload: { producerId: string; paused: boolean }; result: null }
    'video:close_producer': { payload: { producerId: string }; result: null }
    'video:force_off': { payload: { userId: number; source: 'mic' | 'camera' }; result: { paused: number } }
    'video:stage': { payload: { mode: StageMode }; result: null }
    /** Audio only on a weak link: no video reaches this tab while on (its video consumers are paused). */
    'video:audio_only': { payload: { on: boolean }; result: { videoStreams: number } }
    /** The tab's own connection quality, measured by the browser (getStats); relayed to the class's teachers. */
    'video:quality': { payload: { level: NetworkQuality; rttMs?: number; lossPercent?: number }; result: null }
  }
  interface ServerEvents {
    'video:producer_added': ProducerView
    'video:producer_closed': { producerId: string }
    'video:producer_paused': { producerId: string; userId: number; source: MediaSource; paused: boolean }
    'video:active_speaker': { userId: number | null }
    /** To the class's teachers: who is speaking in each room (for the breakout overview). */
    'video:room_speaker': { room: string; userId: number | null }
    'video:reset': { reason: string }
    'video:stage': { mode: StageMode }
    'video:forced_off': { source: 'mic' | 'camera'; by: string }
    /** To the class's teachers: lecture mode switched. */
    'video:lecture_mode': { on: boolean }
    /** To one user: join the video again (brought on stage or taken off it: WebRTC instead of HLS). */
    'video:rejoin': { reason: 'on_stage' | 'off_stage' }
    /** To the class's teachers: a participant's connection quality as their browser measures it. */
    'video:peer_quality': { userId: number; level: NetworkQuality }
  }
}

declare module '@adonisjs/core/types' {
  interface EventsList {
    'video:media_state': { sessionId: number; schoolId: number; userId: number; source: MediaSource; on: boolean; at: string }
  }
}
