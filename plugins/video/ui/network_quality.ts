import type { types } from 'mediasoup-client'
import type { NetworkQuality } from '../events.js'

/*
| The tab's own connection quality, from WebRTC getStats of its two transports every 2 s:
|   - round-trip time: the selected ICE candidate pair's currentRoundTripTime (else RTCP's roundTripTime);
|   - packet loss: what the SFU reports losing of what we send (remote-inbound-rtp fractionLost) and
|     what we lose of what we receive (inbound-rtp packetsLost over packetsReceived, since the last sample);
|   - available outgoing bitrate (the send pair's availableOutgoingBitrate), counted only while the
|     camera is sending — an idle send transport estimates low and means nothing.
| The worst of them sets the level. Two samples in a row must agree before it gets better (no flicker).
*/
export interface NetworkSample {
  rttMs: number | null
  lossPercent: number | null
  outgoingKbps: number | null
}

const POOR = { rttMs: 500, lossPercent: 10, outgoingKbps: 120 }
const FAIR = { rttMs: 250, lossPercent: 3, outgoingKbps: 300 }

export function classify(sample: NetworkSample, sendingVideo: boolean): NetworkQuality {
  const { rttMs, lossPercent, outgoingKbps } = sample
  const bitrate = sendingVideo ? outgoingKbps : null
  if ((rttMs ?? 0) >= POOR.rttMs || (lossPercent ?? 0) >= POOR.lossPercent || (bitrate !== null && bitrate < POOR.outgoingKbps)) return 'poor'
  if ((rttMs ?? 0) >= FAIR.rttMs || (lossPercent ?? 0) >= FAIR.lossPercent || (bitrate !== null && bitrate < FAIR.outgoingKbps)) return 'fair'
  return 'good'
}

const RANK: Record<NetworkQuality, number> = { good: 0, fair: 1, poor: 2 }

interface Counters {
  lost: number
  received: number
}

/** Reads one sample from the transports' stats (counters are kept between calls for the receive loss). */
export async function measure(send: types.Transport | null, recv: types.Transport | null, previous: Map<string, Counters>): Promise<NetworkSample> {
  let rttMs: number | null = null
  let outgoingKbps: number | null = null
  const losses: number[] = []
  const pairRtt = (report: RTCStatsReport) => {
    let rtt: number | null = null
    let bitrate: number | null = null
    report.forEach((s: any) => {
      if (s.type !== 'transport' || !s.selectedCandidatePairId) return
      const pair: any = report.get(s.selectedCandidatePairId)
      if (typeof pair?.currentRoundTripTime === 'number') rtt = pair.currentRoundTripTime * 1000
      if (typeof pair?.availableOutgoingBitrate === 'number') bitrate = pair.availableOutgoingBitrate / 1000
    })
    return { rtt, bitrate }
  }
  if (send && !send.closed) {
    const report = await send.getStats()
    const { rtt, bitrate } = pairRtt(report)
    rttMs = rtt
    outgoingKbps = bitrate
    report.forEach((s: any) => {
      if (s.type !== 'remote-inbound-rtp') return
      if (typeof s.fractionLost === 'number') losses.push(s.fractionLost * 100)
      if (rttMs === null && typeof s.roundTripTime === 'number') rttMs = s.roundTripTime * 1000
    })
  }
  if (recv && !recv.closed) {
    const report = await recv.getStats()
    const { rtt } = pairRtt(report)
    if (rtt !== null) rttMs = Math.max(rttMs ?? 0, rtt)
    let lost = 0
    let received = 0
    const seen = new Set<string>()
    report.forEach((s: any) => {
      if (s.type !== 'inbound-rtp') return
      seen.add(s.id)
      const before = previous.get(s.id) ?? { lost: 0, received: 0 }
      const now = { lost: Math.max(0, s.packetsLost ?? 0), received: s.packetsReceived ?? 0 }
      lost += Math.max(0, now.lost - before.lost)
      received += Math.max(0, now.received - before.received)
      previous.set(s.id, now)
    })
    for (const id of [...previous.keys()]) if (!seen.has(id)) previous.delete(id)
    if (lost + received > 0) losses.push((lost / (lost + received)) * 100)
  }
  return { rttMs, lossPercent: losses.length ? Math.max(...losses) : null, outgoingKbps }
}

export interface QualityMonitorOptions {
  transports(): { send: types.Transport | null; recv: types.Transport | null }
  sendingVideo(): boolean
  onLevel(level: NetworkQuality, sample: NetworkSample): void
  /** Called with every level on change and at least every `reportEveryMs` (the server relays it to teachers). */
  report(level: NetworkQuality, sample: NetworkSample): void
  /** False once the classroom is left for good: the monitor stops. */
  alive(): boolean
  intervalMs?: number
  reportEveryMs?: number
}

/**
 * Samples every 2 s. A test may set `window.__aulaNetworkOverride` (partial NetworkSample) to stand in
 * for a degraded link; it replaces only the measured figures, everything after them is the real path.
 */
export function startQualityMonitor(options: QualityMonitorOptions) {
  const counters = new Map<string, Counters>()
  const intervalMs = options.intervalMs ?? 2000
  const reportEveryMs = options.reportEveryMs ?? 10_000
  let level: NetworkQuality | null = null
  let pendingBetter: NetworkQuality | null = null
  let reportedAt = 0
  let reported: NetworkQuality | null = null
  let stopped = false
  let timer: ReturnType<typeof setTimeout> | null = null

  const tick = async () => {
    if (stopped || !options.alive()) return
    try {
      const { send, recv } = options.transports()
      const measured = await measure(send, recv, counters)
      const override = (window as any).__aulaNetworkOverride as Partial<NetworkSample> | undefined
      const sample = override ? { ...measured, ...override } : measured
      const next = classify(sample, options.sendingVideo())
      if (level === null || RANK[next] >= RANK[level]) {
        level = next
        pendingBetter = null
      } else if (pendingBetter === next) {
        level = next
        pendingBetter = null
      } else {
        pendingBetter = next
      }
      options.onLevel(level, sample)
      if (level !== reported || Date.now() - reportedAt >= reportEveryMs) {
        reported = level
        reportedAt = Date.now()
        options.report(level, sample)
      }
    } catch {}
    if (!stopped) timer = setTimeout(tick, intervalMs)
  }
  timer = setTimeout(tick, intervalMs)
  return {
    stop() {
      stopped = true
      if (timer) clearTimeout(timer)
    },
    /** Report again on the next sample (after a rejoin: the new socket's teachers know nothing yet). */
    forget() {
      reported = null
    },
  }
}
