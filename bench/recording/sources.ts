import { spawn, type ChildProcess } from 'node:child_process'
import { cpus } from 'node:os'
import type { RpcClient } from '#app/media/rpc/rpc_client'

/** The core FFmpeg sources run on (the last one; the sidecar is measured on the others). */
export const LOAD_CORE = String(Math.max(0, cpus().length - 1))

/** A producer in the sidecar's room fed by FFmpeg over a PlainTransport: a camera, a screen share or a microphone. */
export async function source(rpc: RpcClient, roomKey: string, kind: 'camera' | 'screen' | 'mic', userId: number): Promise<ChildProcess> {
  const transport = await rpc.call('plainTransport.create', { roomKey, peerId: `bench-${kind}`, comedia: true, rtcpMux: false })
  const ssrc = 10_000 + Math.floor(Math.random() * 1e6)
  const video = kind !== 'mic'
  await rpc.call('producer.create', {
    transportId: transport.transportId,
    kind: video ? 'video' : 'audio',
    rtpParameters: video
      ? { codecs: [{ mimeType: 'video/VP8', payloadType: 101, clockRate: 90000 }], encodings: [{ ssrc }] }
      : { codecs: [{ mimeType: 'audio/opus', payloadType: 100, clockRate: 48000, channels: 2 }], encodings: [{ ssrc }] },
    appData: { userId, source: kind },
  })
  const input = kind === 'camera' ? 'testsrc2=size=1280x720:rate=30' : kind === 'screen' ? 'testsrc=size=1920x1080:rate=15' : 'sine=f=440:r=48000'
  const codec = video
    ? ['-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-b:v', kind === 'screen' ? '1500k' : '1200k', '-g', '60']
    : ['-c:a', 'libopus', '-b:a', '32k', '-ac', '2', '-ar', '48000']
  return spawn('taskset', ['-c', LOAD_CORE, 'ffmpeg', '-hide_banner', '-loglevel', 'error', '-re', '-f', 'lavfi', '-i', input, ...codec,
    '-ssrc', String(ssrc), '-payload_type', video ? '101' : '100', '-f', 'rtp', `rtp://${transport.ip}:${transport.port}?rtcpport=${transport.rtcpPort}`], { stdio: 'ignore' })
}

/** A whiteboard scene of `strokes` freehand strokes (one more each time the board changes). */
export function boardScene(strokes: number) {
  const elements = Array.from({ length: strokes }, (_, i) => ({
    id: `s${i}`, type: 'freedraw', x: 100 + (i % 10) * 100, y: 100 + Math.floor(i / 10) * 80, width: 80, height: 40, angle: 0,
    strokeColor: '#1971c2', backgroundColor: 'transparent', fillStyle: 'solid', strokeWidth: 2, strokeStyle: 'solid', roughness: 1,
    opacity: 100, groupIds: [], frameId: null, roundness: null, seed: i + 1, version: 2, versionNonce: i + 7, index: `a${i}`,
    isDeleted: false, boundElements: null, updated: 1, link: null, locked: false,
    points: Array.from({ length: 20 }, (_, p) => [p * 4, Math.sin(p / 3) * 20]), pressures: [], simulatePressure: true, lastCommittedPoint: null,
  }))
  return { elements, files: [] }
}

