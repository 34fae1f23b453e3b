import { spawn, type ChildProcess } from 'node:child_process'
import type { RpcClient } from '#app/media/rpc/rpc_client'

/**
 * A camera and a microphone played by one FFmpeg into a media room, in sync by construction (one
 * process, one clock): a black picture that flashes white for 100 ms at every whole second and a
 * 1 kHz beep during the same 100 ms. A recording keeps A/V sync when its flashes and beeps line up.
 */
export async function startFlashBeepSource(rpc: RpcClient, roomKey: string, options: { userId: number; peerId: string; color?: string }) {
  const video = await rpc.call('plainTransport.create', { roomKey, peerId: options.peerId, comedia: true, rtcpMux: false })
  const audio = await rpc.call('plainTransport.create', { roomKey, peerId: options.peerId, comedia: true, rtcpMux: false })
  const videoSsrc = 1000 + Math.floor(Math.random() * 1e6)
  const audioSsrc = 2000000 + Math.floor(Math.random() * 1e6)
  const appData = { userId: options.userId, source: 'camera' }
  const { producerId: videoProducerId } = await rpc.call('producer.create', {
    transportId: video.transportId,
    kind: 'video',
    rtpParameters: { codecs: [{ mimeType: 'video/VP8', payloadType: 101, clockRate: 90000 }], encodings: [{ ssrc: videoSsrc }] },
    appData,
  })
  const { producerId: audioProducerId } = await rpc.call('producer.create', {
    transportId: audio.transportId,
    kind: 'audio',
    rtpParameters: { codecs: [{ mimeType: 'audio/opus', payloadType: 100, clockRate: 48000, channels: 2 }], encodings: [{ ssrc: audioSsrc }] },
    appData: { userId: options.userId, source: 'mic' },
  })
  const base = options.color ?? 'black'
  const child: ChildProcess = spawn('ffmpeg', [
    '-hide_banner', '-loglevel', 'error',
    // One lavfi input for both, read at one pace (-re): two inputs each had their own pace, and the
    // picture's catching up after libvpx started made the first second of sound and picture differ.
    '-re', '-f', 'lavfi', '-i',
    `color=c=${base}:s=320x180:r=30,drawbox=x=0:y=0:w=iw:h=ih:color=white:t=fill:enable='lt(mod(t,1),0.1)'[out0];` +
      `aevalsrc='if(lt(mod(t,1),0.1),0.8*sin(2*PI*1000*t),0)':s=48000:c=mono[out1]`,
    '-map', '0:v', '-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-lag-in-frames', '0', '-auto-alt-ref', '0', '-threads', '1', '-b:v', '300k', '-g', '30', '-keyint_min', '30',
    '-ssrc', String(videoSsrc), '-payload_type', '101', '-f', 'rtp', `rtp://${video.ip}:${video.port}?rtcpport=${video.rtcpPort}`,
    '-map', '0:a', '-c:a', 'libopus', '-b:a', '48k', '-ac', '2', '-ar', '48000',
    '-ssrc', String(audioSsrc), '-payload_type', '100', '-f', 'rtp', `rtp://${audio.ip}:${audio.port}?rtcpport=${audio.rtcpPort}`,
  ], { stdio: 'ignore' })
  return {
    videoProducerId,
    audioProducerId,
    stop: () => new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve()
      child.once('exit', () => resolve())
      child.kill('SIGKILL')
    }),
  }
}
