import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Writable } from 'node:stream'
import { spawnFfmpeg, type FfmpegProcess } from './ffmpeg_process.js'
import { AUDIO_RATE } from './media_input.js'
import { i420Size } from './i420.js'
import { AUDIO_TRACK, VIDEO_TRACK, matroskaBlockHead, matroskaHeader } from './matroska_stream.js'

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

/** Input options for pipes whose format is given: start reading at once instead of probing. */
const NO_PROBE = ['-probesize', '32', '-analyzeduration', '0']

/** Where a part's files live in the spool and in storage. */
export const partPrefix = (recordingKey: string, partId: string) => `recordings/${recordingKey}/parts/${partId}`

export function x264Bitrate(height: number) {
  return height >= 1080 ? { maxrate: '4500k', bufsize: '9000k' } : { maxrate: '2500k', bufsize: '5000k' }
}

/**
 * The output arguments of the one x264 + AAC encode of a class. Outputs go through FFmpeg's tee
 * muxer: today one slave writes the recording's fMP4 segments; HLS for viewers (issue 14) adds a
 * second slave with its own playlist from the same encode. Fixed one-second GOPs (no scene-cut
 * key frames) so every slave can cut segments on whole seconds. The input (matroskaInputArgs) has
 * pictures only when they changed: the fps filter repeats each one up to the next, at FPS.
 * No rate-control lookahead (veryfast's default holds 10 frames, a third of a second, before a
 * picture is encoded): live HLS viewers would wait for it; the recording loses only mb-tree's few
 * per cent of bitrate at the same quality.
 */
export function encodeArgs(height: number, slaves: string[]) {
  const { maxrate, bufsize } = x264Bitrate(height)
  return [
    '-map', '0:v', '-map', '0:a', '-filter:v', `fps=${FPS}`, '-fps_mode', 'passthrough',
    '-c:v', 'libx264', '-preset', 'veryfast', '-profile:v', 'high', '-pix_fmt', 'yuv420p',
    '-g', String(FPS), '-keyint_min', String(FPS), '-sc_threshold', '0', '-bf', '0', '-rc-lookahead', '0', '-mbtree', '0',
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
 * The tee slave that writes the class's live HLS stream (issue 14) from the same encode: 1 s fMP4
 * segments (the encode's GOP is 1 s), a sliding 6-segment playlist, old segments deleted. Segment
 * numbers are epoch seconds, so they keep growing across encoder restarts (a new part), and each part
 * has its own init segment. `onfail=ignore`: a failing HLS write never stops the recording.
 */
export function hlsSlave(dir: string, partId: string) {
  return (
    `[f=hls:onfail=ignore:hls_time=1:hls_list_size=6:hls_segment_type=fmp4:hls_start_number_source=epoch:` +
    `hls_flags=delete_segments+temp_file+independent_segments+omit_endlist+program_date_time:` +
    `hls_fmp4_init_filename=init_${partId}.mp4:hls_segment_filename=${dir}/seg_%d.m4s]${dir}/live.m3u8`
  )
}

/** The encoder reads one live Matroska stream (matroska_stream.ts); its header says everything, nothing is probed. */
export const matroskaInputArgs = ['-f', 'matroska', ...NO_PROBE, '-fpsprobesize', '0', '-i', 'pipe:0']

/**
 * One FFmpeg encoding one part of a recording from one Matroska stream on stdin: raw I420
 * pictures and mono PCM, each stamped with its time on the part's clock by the compositor, so
 * the two stay in step by construction whatever order or rate they come in. When it dies, the
 * recorder starts a new part.
 */
export class PartEncoder {
  readonly info: PartInfo
  readonly dir: string
  #ffmpeg: FfmpegProcess | null = null
  #input: Writable | null = null
  ended = false

  constructor(
    spool: string,
    recordingKey: string,
    partId: string,
    width: number,
    height: number,
    /** More tee slaves from the same encode (the class's HLS stream). */
    private extraSlaves: string[] = []
  ) {
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
    this.#ffmpeg = spawnFfmpeg([...matroskaInputArgs, ...encodeArgs(height, [recordingSlave(this.dir), ...this.extraSlaves])], ['pipe', 'ignore', 'pipe'])
    this.#input = this.#ffmpeg.child.stdin!
    this.#input.on('error', () => {})
    this.#input.write(matroskaHeader(width, height, AUDIO_RATE))
    void this.#ffmpeg.exited.then(() => (this.ended = true))
  }

  /** Bytes queued towards FFmpeg and not yet taken: grows when FFmpeg cannot keep up. */
  get backlog() {
    return this.#input?.writableLength ?? 0
  }

  /** Bytes of one picture. */
  get pictureBytes() {
    return i420Size(this.info.width, this.info.height)
  }

  /** Backlog (about 1 s of pictures) past which the compositor pauses the part's clock instead of queueing more. */
  get maxBacklog() {
    return this.pictureBytes * FPS
  }

  /** A picture shown from `timeMs` on the part's clock until the next one; `written` once FFmpeg's pipe took it (or it never will). */
  writeVideo(frame: Buffer, timeMs: number, written?: () => void) {
    if (this.ended || !this.#input) return void written?.()
    this.#input.write(matroskaBlockHead(VIDEO_TRACK, timeMs * 1000, frame.length))
    this.#input.write(frame, written)
  }

  /** Sound from `timeMs` on the part's clock. */
  writeAudio(samples: Int16Array, timeMs: number) {
    if (this.ended || !this.#input || !samples.length) return
    this.#input.write(Buffer.concat([matroskaBlockHead(AUDIO_TRACK, timeMs * 1000, samples.byteLength), Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength)]))
  }

  /** Ends the input: FFmpeg writes its last segment and exits. */
  async finish(timeoutMs = 15_000) {
    if (!this.#ffmpeg) return
    this.#input?.end()
    const timer = setTimeout(() => this.#ffmpeg?.child.kill('SIGKILL'), timeoutMs)
    await this.#ffmpeg.exited
    clearTimeout(timer)
  }

  kill(signal: NodeJS.Signals = 'SIGKILL') {
    this.#ffmpeg?.child.kill(signal)
  }
}
