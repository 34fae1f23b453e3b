import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Writable } from 'node:stream'
import { spawnFfmpeg, type FfmpegProcess } from './ffmpeg_process.js'
import { AUDIO_RATE } from './media_input.js'
import { i420Size } from './i420.js'

export const FPS = 30
/** Seconds per stored segment: what a killed encoder can lose at most, besides its restart. */
export const SEGMENT_SECONDS = 2

export interface PartInfo {
  partId: string
  recordingKey: string
  /** Wall-clock time (ms) of the part's first frame: where its timeline starts. */
  startedAt: number
  width: number
  height: number
  fps: number
}

/** Where a part's files live in the spool and in storage. */
export const partPrefix = (recordingKey: string, partId: string) => `recordings/${recordingKey}/parts/${partId}`

export function x264Bitrate(height: number) {
  return height >= 1080 ? { maxrate: '4500k', bufsize: '9000k' } : { maxrate: '2500k', bufsize: '5000k' }
}

/**
 * The output arguments of the one x264 + AAC encode of a class. Outputs go through FFmpeg's tee
 * muxer: today one slave writes the recording's fMP4 segments; HLS for viewers (issue 14) adds a
 * second slave with its own playlist from the same encode. Fixed one-second GOPs (no scene-cut
 * key frames) so every slave can cut segments on whole seconds.
 */
export function encodeArgs(height: number, slaves: string[]) {
  const { maxrate, bufsize } = x264Bitrate(height)
  return [
    '-map', '0:v', '-map', '1:a',
    '-c:v', 'libx264', '-preset', 'veryfast', '-profile:v', 'high', '-pix_fmt', 'yuv420p',
    '-g', String(FPS), '-keyint_min', String(FPS), '-sc_threshold', '0',
    '-crf', '23', '-maxrate', maxrate, '-bufsize', bufsize, '-threads', '1',
    '-c:a', 'aac', '-b:a', '96k', '-ac', '1', '-ar', String(AUDIO_RATE),
    '-flags', '+global_header',
    '-f', 'tee', slaves.join('|'),
  ]
}

/** The tee slave that writes a recording part: init.mp4 + 2 s fMP4 segments, each renamed into place when complete. */
export function recordingSlave(dir: string) {
  return (
    `[f=hls:hls_time=${SEGMENT_SECONDS}:hls_segment_type=fmp4:hls_playlist_type=event:hls_flags=temp_file+independent_segments:` +
    `hls_fmp4_init_filename=init.mp4:hls_segment_filename=${dir}/seg_%05d.m4s]${dir}/index.m3u8`
  )
}

/**
 * One FFmpeg encoding one part of a recording from raw I420 pictures (stdin) and mono PCM (fd 3)
 * that the compositor writes at exactly FPS and AUDIO_RATE against the wall clock, so the two
 * stay in step by construction. When it dies, the recorder starts a new part.
 */
export class PartEncoder {
  readonly info: PartInfo
  readonly dir: string
  #ffmpeg: FfmpegProcess | null = null
  #video: Writable | null = null
  #audio: Writable | null = null
  ended = false

  constructor(spool: string, recordingKey: string, partId: string, width: number, height: number) {
    this.dir = join(spool, partPrefix(recordingKey, partId))
    this.info = { partId, recordingKey, startedAt: Date.now(), width, height, fps: FPS }
  }

  get pid() {
    return this.#ffmpeg?.child.pid ?? null
  }

  get exited() {
    return this.#ffmpeg!.exited
  }

  stderr() {
    return this.#ffmpeg?.stderr() ?? ''
  }

  async start(startedAt: number) {
    await mkdir(this.dir, { recursive: true })
    this.info.startedAt = startedAt
    await writeFile(join(this.dir, 'part.json'), JSON.stringify(this.info))
    const { width, height } = this.info
    this.#ffmpeg = spawnFfmpeg(
      [
        '-f', 'rawvideo', '-pix_fmt', 'yuv420p', '-s', `${width}x${height}`, '-framerate', String(FPS), '-thread_queue_size', '64', '-i', 'pipe:0',
        '-f', 's16le', '-ar', String(AUDIO_RATE), '-ac', '1', '-thread_queue_size', '256', '-i', 'pipe:3',
        ...encodeArgs(height, [recordingSlave(this.dir)]),
      ],
      ['pipe', 'ignore', 'pipe', 'pipe']
    )
    this.#video = this.#ffmpeg.child.stdin!
    this.#audio = this.#ffmpeg.child.stdio[3] as Writable
    for (const stream of [this.#video, this.#audio]) stream.on('error', () => {})
    void this.#ffmpeg.exited.then(() => (this.ended = true))
  }

  /** Bytes queued towards FFmpeg and not yet taken: grows when FFmpeg cannot keep up. */
  get backlog() {
    return (this.#video?.writableLength ?? 0) + (this.#audio?.writableLength ?? 0)
  }

  /** Backlog (about 1 s of pictures) past which the compositor pauses the part's clock instead of queueing more. */
  get maxBacklog() {
    return i420Size(this.info.width, this.info.height) * FPS
  }

  writeVideo(frame: Buffer) {
    if (!this.ended) this.#video?.write(frame)
  }

  writeAudio(samples: Int16Array) {
    if (!this.ended) this.#audio?.write(Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength))
  }

  /** Ends both inputs: FFmpeg writes its last segment and exits. */
  async finish(timeoutMs = 15_000) {
    if (!this.#ffmpeg) return
    this.#video?.end()
    this.#audio?.end()
    const timer = setTimeout(() => this.#ffmpeg?.child.kill('SIGKILL'), timeoutMs)
    await this.#ffmpeg.exited
    clearTimeout(timer)
  }

  kill(signal: NodeJS.Signals = 'SIGKILL') {
    this.#ffmpeg?.child.kill(signal)
  }
}
