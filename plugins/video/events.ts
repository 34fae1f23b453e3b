/* The video plugin's additions to the typed realtime event map and the event bus. */
import type { DtlsParameters, IceParameters, RtpCapabilities, RtpParameters, TransportOptions } from '#app/media/rpc/contract'
import type { IceServer, IceTransportPolicy } from '#app/media/turn'

export type MediaSource = 'mic' | 'camera' | 'screen'
export type StageMode = 'video' | 'screen' | 'whiteboard'

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
      }
    }
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
  }
}

declare module '@adonisjs/core/types' {
  interface EventsList {
    'video:media_state': { sessionId: number; schoolId: number; userId: number; source: MediaSource; on: boolean; at: string }
  }
}
