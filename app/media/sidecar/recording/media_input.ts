import { writeFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import type { types } from 'mediasoup'
import { consumerSdp } from './sdp.js'
import { spawnFfmpeg, type FfmpegProcess } from './ffmpeg_process.js'
import { freeRtpPortPair, udpPortBound } from './udp_ports.js'
import { i420Size, type I420 } from './i420.js'

export const AUDIO_RATE = 48_000

export interface InputOptions {
  router: types.Router
  producerId: string
  kind: 'audio' | 'video'
  /** Decoded picture size (video): the input is scaled to fit and padded with black. */
  width?: number
  height?: number
  /** Simulcast layer to ask for (video): small pictures-in-picture need no full-size layer. */
  spatialLayer?: number
  /** Where the SDP file goes. */
  dir: string
  log: (message: string) => void
}

const KEYFRAME_RETRY_MS = 1000
const STALL_MS = 2000
const RESTART_DELAY_MS = 300

/**
 * One producer of a class, received by the sidecar itself (a PlainTransport consumer, never a
 * participant) and decoded by its own FFmpeg into raw pictures (I420 at a fixed size) or raw
 * sound (mono s16le at 48 kHz). A stalled or dead decoder affects only this input: the
 * compositor keeps drawing the last picture or silence, and the decoder is restarted.
 */
export class MediaInput {
  latest: I420 | null = null
  lastFrameAt = 0
  /** The last pictures with their arrival time: the compositor shows video as late as it plays sound. */
  #history: { at: number; frame: I420 }[] = []
  closed = false
  readonly width: number
  readonly height: number
  #transport: types.PlainTransport | null = null
  #consumer: types.Consumer | null = null
  #ffmpeg: FfmpegProcess | null = null
  #pending: Buffer[] = []
  #pendingBytes = 0
  #audio: Buffer[] = []
  #audioBytes = 0
  #timer: NodeJS.Timeout | null = null
  #sdpPath = ''

  constructor(private options: InputOptions) {
    this.width = options.width ?? 0
    this.height = options.height ?? 0
  }

  get producerId() {
    return this.options.producerId
  }

  get kind() {
    return this.options.kind
  }

  get decoderPid() {
    return this.#ffmpeg?.child.pid ?? null
  }

  /** The decoder's last error lines, if it wrote any. */
  get decoderError() {
    return this.#ffmpeg?.stderr() || null
  }

  async consumerStats() {
    return this.#consumer && !this.#consumer.closed ? this.#consumer.getStats().catch(() => []) : []
  }

  async start() {
    const { router, producerId, kind } = this.options
    this.#transport = await router.createPlainTransport({ listenIp: { ip: '127.0.0.1' }, rtcpMux: false, comedia: false, appData: { recording: true } })
    this.#consumer = await this.#transport.consume({
      producerId,
      rtpCapabilities: router.rtpCapabilities,
      paused: true,
      ...(kind === 'video' && this.options.spatialLayer !== undefined ? { preferredLayers: { spatialLayer: this.options.spatialLayer } } : {}),
      appData: { recording: true },
    })
    this.#consumer.observer.once('close', () => this.close())
    await this.#launch()
    this.#timer = setInterval(() => this.#watch(), KEYFRAME_RETRY_MS)
  }

  async #launch() {
    if (this.closed || !this.#consumer || !this.#transport) return
    const port = await freeRtpPortPair()
    this.#sdpPath = join(this.options.dir, `input-${this.options.producerId}.sdp`)
    await writeFile(this.#sdpPath, consumerSdp(this.options.kind, this.#consumer.rtpParameters, port))
    // -flush_packets 1: each picture and each decoded packet of sound leaves FFmpeg at once (not
    // when its 32 KB output buffer fills), so neither stream is held back against the other.
    const common = ['-protocol_whitelist', 'file,udp,rtp', '-fflags', 'nobuffer', '-flags', 'low_delay', '-analyzeduration', '700000', '-i', this.#sdpPath]
    const output =
      this.options.kind === 'video'
        ? [
            '-an',
            '-vf',
            `scale=${this.width}:${this.height}:force_original_aspect_ratio=decrease:flags=bilinear,pad=${this.width}:${this.height}:(ow-iw)/2:(oh-ih)/2,format=yuv420p`,
            '-fps_mode', 'passthrough', '-flush_packets', '1', '-f', 'rawvideo', 'pipe:1',
          ]
        : ['-vn', '-ac', '1', '-ar', String(AUDIO_RATE), '-flush_packets', '1', '-f', 's16le', 'pipe:1']
    const ffmpeg = spawnFfmpeg([...common, ...output])
    this.#ffmpeg = ffmpeg
    this.#pending = []
    this.#pendingBytes = 0
    ffmpeg.child.stdout!.on('data', (chunk: Buffer) => this.#onData(chunk))
    void ffmpeg.exited.then(({ code, signal }) => {
      if (this.#ffmpeg !== ffmpeg || this.closed) return
      this.#ffmpeg = null
      this.options.log(`recording input ${this.options.producerId} decoder exited (${signal ?? code}): ${ffmpeg.stderr().slice(-300)}; restarting`)
      setTimeout(() => void this.#launch().catch((e) => this.options.log(`recording input restart failed: ${e.message}`)), RESTART_DELAY_MS)
    })
    for (let i = 0; i < 100 && !(await udpPortBound(port)); i++) await new Promise((r) => setTimeout(r, 50))
    if (this.closed || this.#ffmpeg !== ffmpeg) return
    await this.#transport.connect({ ip: '127.0.0.1', port, rtcpPort: port + 1 })
    if (this.#consumer.paused) await this.#consumer.resume()
    await this.#keyFrame()
  }

  async #keyFrame() {
    if (this.options.kind === 'video' && this.#consumer && !this.#consumer.closed) await this.#consumer.requestKeyFrame().catch(() => {})
  }

  /** Asks for a key frame until the decoder shows pictures, and again whenever it stalls. */
  #watch() {
    if (this.options.kind !== 'video' || !this.#ffmpeg) return
    if (Date.now() - this.lastFrameAt > STALL_MS) void this.#keyFrame()
  }

  #onData(chunk: Buffer) {
    if (this.options.kind === 'audio') {
      this.#audio.push(chunk)
      this.#audioBytes += chunk.length
      // Keep at most half a second: a backlog means the decoder burst after a stall.
      const max = AUDIO_RATE
      while (this.#audioBytes > max && this.#audio.length > 1) this.#audioBytes -= this.#audio.shift()!.length
      return
    }
    const frameBytes = i420Size(this.width, this.height)
    this.#pending.push(chunk)
    this.#pendingBytes += chunk.length
    while (this.#pendingBytes >= frameBytes) {
      const all = Buffer.concat(this.#pending, this.#pendingBytes)
      this.latest = { width: this.width, height: this.height, data: all.subarray(0, frameBytes) }
      this.lastFrameAt = Date.now()
      this.#history.push({ at: this.lastFrameAt, frame: this.latest })
      if (this.#history.length > 12) this.#history.shift()
      const rest = all.subarray(frameBytes)
      this.#pending = rest.length ? [Buffer.from(rest)] : []
      this.#pendingBytes = rest.length
    }
  }

  /** The newest picture that had arrived by `time` (ms), or the oldest kept one. */
  frameAt(time: number): I420 | null {
    for (let i = this.#history.length - 1; i >= 0; i--) if (this.#history[i].at <= time) return this.#history[i].frame
    return this.#history[0]?.frame ?? null
  }

  /** Bytes of decoded sound waiting (2 per sample). */
  get audioBuffered() {
    return this.#audioBytes
  }

  /** Takes up to `samples` samples of decoded sound; fewer when not enough arrived. */
  takeAudio(samples: number): Int16Array {
    const wanted = samples * 2
    const take = Math.min(wanted, this.#audioBytes)
    const out = Buffer.alloc(take)
    let offset = 0
    while (offset < take) {
      const head = this.#audio[0]
      const n = Math.min(head.length, take - offset)
      head.copy(out, offset, 0, n)
      offset += n
      if (n === head.length) this.#audio.shift()
      else this.#audio[0] = head.subarray(n)
    }
    this.#audioBytes -= take
    return new Int16Array(out.buffer, out.byteOffset, take >> 1)
  }

  /** Kills the decoder: it is restarted like after a crash (tests and fault drills). */
  killDecoder(signal: NodeJS.Signals = 'SIGKILL') {
    this.#ffmpeg?.child.kill(signal)
  }

  close() {
    if (this.closed) return
    this.closed = true
    if (this.#timer) clearInterval(this.#timer)
    this.#ffmpeg?.child.kill('SIGKILL')
    this.#ffmpeg = null
    this.#transport?.close()
    if (this.#sdpPath) void rm(this.#sdpPath, { force: true })
  }
}
