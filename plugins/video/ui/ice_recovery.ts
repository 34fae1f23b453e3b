import type { types } from 'mediasoup-client'
import type { IceServer } from '#app/media/turn'
import type { IceParameters } from '#app/media/rpc/contract'

export interface IceRestartAnswer {
  iceParameters: IceParameters
  iceServers: IceServer[]
}

/** How long a transport may stay 'disconnected' (a brief network blip heals itself) before an ICE restart. */
const DISCONNECTED_GRACE_MS = 2000
/** A restart that has not connected within this time is tried again, up to MAX_ATTEMPTS in a row. */
const ATTEMPT_TIMEOUT_MS = 8000
const MAX_ATTEMPTS = 6

/**
 * Brings a transport back after the network path breaks (Wi-Fi to mobile, a TURN server restarted,
 * a NAT binding lost): on 'failed', or 'disconnected' for longer than a grace period, the server
 * issues new ICE parameters (video:restart_ice), the browser takes fresh TURN credentials and
 * restarts ICE, without tearing down producers or consumers.
 */
export function watchIceRecovery(transport: types.Transport, restart: (transportId: string) => Promise<IceRestartAnswer>, onRestart: () => void) {
  let timer: ReturnType<typeof setTimeout> | null = null
  let attempts = 0
  const clear = () => {
    if (timer) clearTimeout(timer)
    timer = null
  }
  const schedule = (ms: number) => {
    clear()
    timer = setTimeout(attempt, ms)
  }
  async function attempt() {
    timer = null
    if (transport.closed || transport.connectionState === 'connected' || attempts >= MAX_ATTEMPTS) return
    attempts++
    try {
      const answer = await restart(transport.id)
      if (transport.closed) return
      await transport.updateIceServers({ iceServers: answer.iceServers })
      await transport.restartIce({ iceParameters: answer.iceParameters as types.IceParameters })
      onRestart()
    } catch {
      // The socket may be reconnecting too: the next attempt asks again.
    }
    schedule(ATTEMPT_TIMEOUT_MS)
  }
  transport.on('connectionstatechange', (state) => {
    if (state === 'connected') {
      attempts = 0
      clear()
    } else if (state === 'failed') {
      if (!timer) schedule(0)
    } else if (state === 'disconnected') {
      if (!timer) schedule(DISCONNECTED_GRACE_MS)
    } else if (state === 'closed') {
      clear()
    }
  })
  return { stop: clear }
}
