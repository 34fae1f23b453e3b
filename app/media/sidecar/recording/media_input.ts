import { writeFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import type { types } from 'mediasoup'
import { consumerSdp } from './sdp.js'
import { spawnFfmpeg, type FfmpegProcess } from './ffmpeg_process.js'
import { freeRtpPortPair, udpPortBound } from './udp_ports.js'
import { i420Size, type I420 } from './i420.js'
import { TimedAudioQueue } from './audio_queue.js'
import { ClockFit } from './clock_fit.js'
import { PictureHistory } from './picture_history.js'
import { PictureAssembler } from './picture_assembler.js'
import { recordingCapabilities } from './recording_capabilities.js'

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

/**
 * The decoder's UDP receive buffer (capped by net.core.rmem_max). FFmpeg reads RTP, decodes, scales
 * and writes the raw picture in one thread: while it waits for the sidecar to take a 1.4 MB picture
 * (a busy host), packets queue in the socket; with the kernel's default (about 200 KB) they were
 * lost and the VP8 decoder discarded every picture until the next key frame.
 */
const RECEIVE_BUFFER_BYTES = 4 * 1024 * 1024
const KEYFRAME_RETRY_MS = 1000
const STALL_MS = 2000
const RESTART_DELAY_MS = 300
/** Pictures kept (about 0.6 s at 30 fps): more than the compositor's delay. */
const HISTORY_FRAMES = 18
/** Pictures that may wait for their stamp from stderr before they are kept with their arrival time instead. */
const MAX_UNSTAMPED = 3

/**
 * One producer of a class, received by the sidecar itself (a PlainTransport consumer, never a
 * participant) and decoded by its own FFmpeg into raw pictures (I420 at a fixed size) or raw
 * sound (mono s16le at 48 kHz). A stalled or dead decoder affects only this input: the
 * compositor keeps drawing the last picture or silence, and the decoder is restarted.
 */
export class MediaInput {
  latest: I420 | null = null
  lastFrameAt = 0
  /** The last pictures with their time: the compositor shows video as late as it plays sound. */
  #history = new PictureHistory(HISTORY_FRAMES)
  closed = false
  readonly width: number
  readonly height: number
  #transport: types.PlainTransport | null = null
  #consumer: types.Consumer | null = null
  #ffmpeg: FfmpegProcess | null = null
  #pending: Buffer[] = []
  #pendingBytes = 0
  /** Raw pictures cut from the decoder's output into reused buffers (more than are ever kept: history, unstamped, latest). */
  #pictures: PictureAssembler
  /** Decoded pictures waiting for their media time from the decoder's stderr. */
  #unstamped: { frame: I420; arrivedAt: number }[] = []
  /**
   * The decoder's media times (its RTP timestamps, ms) of each picture or sound frame it output, in
   * order, with when its line was read: the clock fit's arrival. FFmpeg prints a frame's line as the
   * frame leaves the decoder and its filters, within about 3 ms of the frame's last RTP packet, but
   * writes a raw picture out only on a later turn of its loop — 14–46 ms after (measured on loopback,
   * docs/recording.md) — and sound at once: fitted on the raw output, every picture was placed about
   * 15 ms later than its sound.
   */
  #stamps: { mediaMs: number; samples: number; at: number }[] = []
  #clock = new ClockFit()
  #timeBase = 0
  readonly audio = new TimedAudioQueue(AUDIO_RATE)
  #timer: NodeJS.Timeout | null = null
  #sdpPath = ''

  constructor(private options: InputOptions) {
    this.width = options.width ?? 0
    this.height = options.height ?? 0
    this.#pictures = new PictureAssembler(i420Size(this.width, this.height), HISTORY_FRAMES + MAX_UNSTAMPED + 3)
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
      rtpCapabilities: recordingCapabilities(router.rtpCapabilities),
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
    // (a)showinfo prints each output frame's media time (from its RTP timestamps) on stderr: a
    // picture or sound is placed by the wall clock its media time had over the fastest path seen
    // (ClockFit), not by when it reached us: decoding, scaling and piping a picture take longer than
    // sound, and a busy decoder falls behind, the more so on a busy host. -probesize 32: no
    // start-up probing that would hold the first packets back and hand them over in a burst.
    const common = [
      '-loglevel', 'level+info', '-nostats', '-protocol_whitelist', 'file,udp,rtp', '-fflags', 'nobuffer', '-flags', 'low_delay',
      '-probesize', '32', '-buffer_size', String(RECEIVE_BUFFER_BYTES), '-i', this.#sdpPath,
    ]
    const output =
      this.options.kind === 'video'
        ? [
            '-an',
            '-vf',
            `scale=${this.width}:${this.height}:force_original_aspect_ratio=decrease:flags=bilinear,pad=${this.width}:${this.height}:(ow-iw)/2:(oh-ih)/2,format=yuv420p,showinfo`,
            '-fps_mode', 'passthrough', '-flush_packets', '1', '-f', 'rawvideo', 'pipe:1',
          ]
        : ['-vn', '-af', 'ashowinfo', '-ac', '1', '-ar', String(AUDIO_RATE), '-flush_packets', '1', '-f', 's16le', 'pipe:1']
    this.#timeBase = this.#consumer.rtpParameters.codecs[0].clockRate
    const ffmpeg = spawnFfmpeg([...common, ...output], undefined, (line) => this.#onLog(line))
    this.#ffmpeg = ffmpeg
    this.#pending = []
    this.#pendingBytes = 0
    this.#pictures.reset()
    this.#unstamped = []
    this.#stamps = []
    this.#clock = new ClockFit()
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

  /** A line of the decoder's stderr: a frame's stamp is taken, other informational lines are not kept. */
  #onLog(line: string) {
    const config = /config in time_base: (\d+)\/(\d+)/.exec(line)
    if (config && Number(config[1]) === 1) this.#timeBase = Number(config[2])
    const frame = /\] (?:\[info\] )?n:\s*\d+\s+pts:\s*(-?\d+)/.exec(line)
    if (frame) {
      const rate = /\brate:(\d+)/.exec(line)
      const timeBase = rate ? Number(rate[1]) : this.#timeBase
      const samples = Number(/nb_samples:(\d+)/.exec(line)?.[1] ?? 0)
      if (timeBase > 0) this.#stamps.push({ mediaMs: (Number(frame[1]) * 1000) / timeBase, samples, at: Date.now() })
      this.#pair()
    }
    return line.includes('[info]')
  }

  #onData(chunk: Buffer) {
    const now = Date.now()
    if (this.options.kind === 'audio') {
      this.#pending.push(chunk)
      this.#pendingBytes += chunk.length
      return this.#pair()
    }
    for (const { data, startedAt } of this.#pictures.push(chunk, now)) {
      this.latest = { width: this.width, height: this.height, data }
      this.lastFrameAt = now
      this.#unstamped.push({ frame: this.latest, arrivedAt: startedAt })
    }
    this.#pair()
  }

  /**
   * Gives decoded pictures and sound their decoder stamps, in order. Without stamps (an FFmpeg that
   * prints none) pictures and sound keep the time they reached us.
   */
  #pair() {
    if (this.options.kind === 'video') {
      while (this.#unstamped.length && this.#stamps.length) {
        const { frame } = this.#unstamped.shift()!
        const { mediaMs, at } = this.#stamps.shift()!
        this.#clock.add(at, mediaMs)
        this.#history.keep(frame, mediaMs, this.#clock)
      }
      while (this.#unstamped.length > MAX_UNSTAMPED) {
        const { frame, arrivedAt } = this.#unstamped.shift()!
        this.#history.keep(frame, arrivedAt, null)
      }
      return
    }
    while (this.#stamps.length && this.#pendingBytes >= this.#stamps[0].samples * 2) {
      const { mediaMs, samples, at } = this.#stamps.shift()!
      // Sound arrives with the packet of its last sample.
      const endMs = mediaMs + (samples * 1000) / AUDIO_RATE
      this.#clock.add(at, endMs)
      this.audio.push(this.#takePending(samples * 2), this.#clock.map(endMs)!)
    }
    if (this.#pendingBytes > AUDIO_RATE) this.audio.push(this.#takePending(this.#pendingBytes), Date.now())
  }

  #takePending(bytes: number) {
    const all = Buffer.concat(this.#pending, this.#pendingBytes)
    const rest = all.subarray(bytes)
    this.#pending = rest.length ? [rest] : []
    this.#pendingBytes = rest.length
    return all.subarray(0, bytes)
  }

  /** The picture for a frame shown at `time` (ms) for `frameMs` (PictureHistory.at). */
  frameAt(time: number, frameMs: number): I420 | null {
    return this.#history.at(time, frameMs)
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
