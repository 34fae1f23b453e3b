import { createSocket, type Socket } from 'node:dgram'
import { spawn, type ChildProcess } from 'node:child_process'

export const AUDIO_LEVEL_URI = 'urn:ietf:params:rtp-hdrext:ssrc-audio-level'

/**
 * Sends RTP audio packets carrying the ssrc-audio-level header extension (RFC 6464),
 * which FFmpeg does not write, so the sidecar's AudioLevelObserver has levels to read.
 * `dBov` is the level (0 loudest, 127 silent); the payload is opaque bytes.
 */
export function sendAudioLevels(options: { ip: string; port: number; ssrc: number; payloadType: number; extensionId: number; dBov: number }) {
  const socket = createSocket('udp4')
  let seq = Math.floor(Math.random() * 60000)
  let timestamp = Math.floor(Math.random() * 1e9)
  const timer = setInterval(() => {
    const packet = Buffer.alloc(12 + 8 + 40)
    packet[0] = 0x90
    packet[1] = options.payloadType & 0x7f
    packet.writeUInt16BE(seq++ & 0xffff, 2)
    packet.writeUInt32BE(timestamp >>> 0, 4)
    packet.writeUInt32BE(options.ssrc >>> 0, 8)
    packet.writeUInt16BE(0xbede, 12)
    packet.writeUInt16BE(1, 14)
    packet[16] = (options.extensionId << 4) | 0
    packet[17] = 0x80 | (options.dBov & 0x7f)
    timestamp += 960
    socket.send(packet, options.port, options.ip)
  }, 20)
  let stopped = false
  return () => {
    if (stopped) return
    stopped = true
    clearInterval(timer)
    socket.close()
  }
}

/** RTCP packet types 192..223 share the second byte with RTP's marker bit + payload type (RFC 5761). */
const isRtcp = (packet: Buffer) => packet.length >= 2 && packet[1] >= 192 && packet[1] <= 223

export interface UdpSink {
  socket: Socket
  port: number
  /**
   * RTP packets received with this SSRC (all SSRCs when omitted). Count per SSRC: mediasoup also
   * sends bandwidth-probation padding (SSRC 1234, payload type 127) on a transport, even while
   * its consumers are paused.
   */
  packets(ssrc?: number): number
  /** Payload types seen for this SSRC. */
  payloadTypes(ssrc: number): number[]
  /** The first packet received with this SSRC, as received. */
  firstPacket(ssrc: number): Buffer | undefined
  close(): void
}

/** A UDP socket that counts, per SSRC, the RTP (not RTCP) packets a PlainTransport consumer sends to it. */
export async function udpSink(): Promise<UdpSink> {
  const socket = createSocket('udp4')
  const counts = new Map<number, { packets: number; payloadTypes: Set<number>; first: Buffer }>()
  socket.on('message', (packet) => {
    if (packet.length < 12 || isRtcp(packet)) return
    const ssrc = packet.readUInt32BE(8)
    let entry = counts.get(ssrc)
    if (!entry) counts.set(ssrc, (entry = { packets: 0, payloadTypes: new Set(), first: packet }))
    entry.packets++
    entry.payloadTypes.add(packet[1] & 0x7f)
  })
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()))
  return {
    socket,
    port: socket.address().port,
    packets: (ssrc) =>
      ssrc === undefined ? [...counts.values()].reduce((sum, e) => sum + e.packets, 0) : (counts.get(ssrc)?.packets ?? 0),
    payloadTypes: (ssrc) => [...(counts.get(ssrc)?.payloadTypes ?? [])],
    firstPacket: (ssrc) => counts.get(ssrc)?.first,
    close: () => socket.close(),
  }
}

/**
 * FFmpeg test pattern as VP8 RTP (one keyframe per second) to ip:port. No RTCP sender reports
 * (`skip_rtcp`): FFmpeg would send them from a second socket, and a comedia PlainTransport
 * latches onto the source address of the first packet it gets.
 */
export function ffmpegVp8(options: { ip: string; port: number; ssrc: number; payloadType: number; seconds: number }): ChildProcess {
  return spawn(
    'ffmpeg',
    [
      '-loglevel', 'error', '-re', '-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=15', '-t', String(options.seconds),
      '-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-b:v', '300k', '-g', '15',
      '-ssrc', String(options.ssrc), '-payload_type', String(options.payloadType),
      '-rtpflags', 'skip_rtcp', '-f', 'rtp', `rtp://${options.ip}:${options.port}`,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] }
  )
}
