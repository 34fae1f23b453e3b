import { randomBytes } from 'node:crypto'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { types } from 'mediasoup'
import { AUDIO_RATE, MediaInput } from './media_input.js'
import { FPS, PartEncoder, hlsSlave, type PartInfo } from './encoder.js'
import { blit, fillRect, i420Size, solidFrame, type I420 } from './i420.js'
import { FramePool } from './frame_pool.js'
import type { BoardRenderer, BoardScene } from './board_renderer.js'
import type { SpoolUploader } from './spool_uploader.js'

export interface RoomProducer {
  id: string
  kind: 'audio' | 'video'
  paused: boolean
  peerId: string
  appData: Record<string, unknown>
}

export interface RoomView {
  router: types.Router
  producers: RoomProducer[]
  /** The loudest audio producer right now (AudioLevelObserver), if any. */
  speakerProducerId: string | null
}

export interface RecorderOptions {
  recordingKey: string
  roomKey: string
  width: number
  height: number
  /** Whose camera is the teacher's picture-in-picture and whose screen wins the stage. */
  teacherUserIds: number[]
  spool: string
  room: () => RoomView | null
  renderer: BoardRenderer
  uploader: SpoolUploader
  log: (message: string) => void
  /** Where the class's live HLS stream is written from the same encode (issue 14); none without. */
  hlsDir?: string
}

const SELECT_MS = 250
/** A student who spoke stays in the picture this long after they stop (no flicker between speakers). */
const SPEAKER_HOLD_MS = 4000
const MAX_AUDIO_INPUTS = 8
/**
 * Pictures and sound are both played this long after they reached the sidecar (ms): each frame
 * takes the pictures that had arrived by its slot minus this, each sample the sound that had
 * arrived by then (TimedAudioQueue). Long enough for a picture read late on a busy host.
 */
const MEDIA_DELAY_MS = 200
/** An unchanged picture is written again after this long (ms), so the encoder's output keeps flowing. */
const REPEAT_MS = 250
/**
 * Pictures that may wait for FFmpeg before new ones are left out (a third of a second): a short
 * hiccup of the encoder must not drop pictures, since a dropped picture shows its change late.
 */
const MAX_QUEUED_PICTURES = 10
/** Board frames are rendered at most this often while someone draws. */
const BOARD_MIN_INTERVAL_MS = 250
const BACKGROUND: [number, number, number] = [32, 36, 44]
const PIP_BORDER: [number, number, number] = [255, 255, 255]

interface Layout {
  screen: string | null
  teacher: string | null
  teacherOnStage: boolean
  speaker: string | null
}

/**
 * The recording of one class on this sidecar: picks what is on screen from the room's
 * producers (screen share, else the whiteboard, else the teacher's camera on the stage; the
 * teacher's camera and the speaking student's as pictures-in-picture; every unmuted
 * microphone mixed), composes I420 frames in Node with row copies, and feeds one FFmpeg per
 * part at exactly FPS and AUDIO_RATE by the wall clock. Layout changes only change which
 * buffers are copied: no FFmpeg restart, no browser drawing the layout. A dead encoder starts a
 * new part at once; the final MP4 joins the parts.
 */
export class ClassRecorder {
  state: 'recording' | 'stopping' | 'stopped' = 'recording'
  readonly parts: PartInfo[] = []
  readonly startedAt = Date.now()
  #encoder: PartEncoder | null = null
  #t0 = 0
  #frames = 0
  #samples = 0
  /** Wall-clock time this recording could not write because its encoder lagged (starved machine). */
  #skippedMs = 0
  /** Changed pictures not written because MAX_QUEUED_PICTURES already waited for FFmpeg. */
  #leftOut = 0
  #inputs = new Map<string, MediaInput>()
  #layout: Layout = { screen: null, teacher: null, teacherOnStage: false, speaker: null }
  #speaker: { peerId: string; until: number } | null = null
  #board: I420 | null = null
  #boardPending: BoardScene | null = null
  #boardTakenAt = 0
  #boardRendering = false
  #boardError: string | null = null
  #selectTimer: NodeJS.Timeout | null = null
  #frameTimer: NodeJS.Timeout | null = null
  #background: I420
  #frameBytes: number
  #framePool: FramePool
  #lastComposed: { stage: I420; pips: (I420 | null)[]; data: Buffer } | null = null
  /** The last picture written to this part's encoder, and its slot on the part's clock. */
  #written: { data: Buffer; atMs: number } | null = null
  #inputDir: string

  constructor(readonly options: RecorderOptions) {
    this.#background = solidFrame(options.width, options.height, BACKGROUND)
    this.#frameBytes = i420Size(options.width, options.height)
    this.#framePool = new FramePool(this.#frameBytes)
    this.#inputDir = join(options.spool, 'inputs', options.recordingKey)
  }

  get key() {
    return this.options.recordingKey
  }

  async start() {
    await mkdir(this.#inputDir, { recursive: true })
    await this.#newPart()
    this.#select()
    this.#selectTimer = setInterval(() => this.#select(), SELECT_MS)
    this.#scheduleFrame()
  }

  async #newPart() {
    if (this.state !== 'recording') return
    const { spool, recordingKey, width, height } = this.options
    const partId = `${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`
    const { hlsDir } = this.options
    if (hlsDir) await mkdir(hlsDir, { recursive: true })
    const encoder = new PartEncoder(spool, recordingKey, partId, width, height, hlsDir ? [hlsSlave(hlsDir, partId)] : [])
    const t0 = Date.now()
    await encoder.start(t0)
    this.options.uploader.track(encoder.dir, recordingKey)
    this.#encoder = encoder
    this.#t0 = t0
    this.#frames = 0
    this.#samples = 0
    this.#framePool.release(this.#written?.data)
    this.#written = null
    this.parts.push(encoder.info)
    void encoder.exited.then(({ code, signal }) => {
      this.options.uploader.close(encoder.dir)
      if (this.#encoder !== encoder || this.state !== 'recording') return
      this.#encoder = null
      this.options.log(`recording ${recordingKey}: encoder exited (${signal ?? code}) ${encoder.stderr().slice(-300)}; starting a new part`)
      setTimeout(() => void this.#newPart().catch((e) => this.options.log(`recording ${recordingKey}: new part failed: ${e.message}`)), 200)
    })
  }

  // ---- what is on screen -------------------------------------------------------------

  #pipSize() {
    const width = Math.round((this.options.width * 0.2) / 2) * 2
    return { width, height: Math.round((width * 9) / 16 / 2) * 2 }
  }

  #select() {
    if (this.state !== 'recording') return
    const view = this.options.room()
    const now = Date.now()
    const wanted = new Map<string, { producerId: string; kind: 'audio' | 'video'; width?: number; height?: number; spatialLayer?: number }>()
    const layout: Layout = { screen: null, teacher: null, teacherOnStage: false, speaker: null }
    if (view) {
      const live = view.producers.filter((p) => !p.paused)
      const isTeacher = (p: RoomProducer) => this.options.teacherUserIds.includes(Number(p.appData.userId))
      const video = (source: string) => live.filter((p) => p.kind === 'video' && p.appData.source === source)
      const screen = video('screen').find(isTeacher) ?? video('screen')[0]
      const teacherCam = video('camera').find(isTeacher)
      const speaking = view.producers.find((p) => p.id === view.speakerProducerId)
      if (speaking && !isTeacher(speaking)) this.#speaker = { peerId: speaking.peerId, until: now + SPEAKER_HOLD_MS }
      const speakerCam = this.#speaker && now < this.#speaker.until ? video('camera').find((p) => p.peerId === this.#speaker!.peerId && !isTeacher(p)) : undefined
      const { width, height } = this.options
      const pip = this.#pipSize()
      const add = (spec: { producerId: string; kind: 'audio' | 'video'; width?: number; height?: number; spatialLayer?: number }) => {
        const key = `${spec.producerId}:${spec.width ?? 0}x${spec.height ?? 0}`
        wanted.set(key, spec)
        return key
      }
      if (screen) layout.screen = add({ producerId: screen.id, kind: 'video', width, height })
      if (teacherCam) {
        layout.teacherOnStage = !screen && !this.#board
        layout.teacher = layout.teacherOnStage
          ? add({ producerId: teacherCam.id, kind: 'video', width, height, spatialLayer: 2 })
          : add({ producerId: teacherCam.id, kind: 'video', ...pip, spatialLayer: 1 })
      }
      if (speakerCam) layout.speaker = add({ producerId: speakerCam.id, kind: 'video', ...pip, spatialLayer: 1 })
      const mics = live.filter((p) => p.kind === 'audio')
      mics.sort((a, b) => Number(b.id === view.speakerProducerId) - Number(a.id === view.speakerProducerId) || Number(isTeacher(b)) - Number(isTeacher(a)))
      for (const mic of mics.slice(0, MAX_AUDIO_INPUTS)) add({ producerId: mic.id, kind: 'audio' })
    }
    for (const [key, input] of this.#inputs) {
      if (!wanted.has(key) || input.closed) {
        input.close()
        this.#inputs.delete(key)
      }
    }
    for (const [key, spec] of wanted) {
      if (this.#inputs.has(key) || !view) continue
      const input = new MediaInput({ router: view.router, ...spec, dir: this.#inputDir, log: this.options.log })
      this.#inputs.set(key, input)
      input.start().catch((error) => {
        this.options.log(`recording ${this.key}: input ${spec.producerId} failed: ${(error as Error).message}`)
        input.close()
      })
    }
    this.#layout = layout
  }

  // ---- frames and sound ----------------------------------------------------------------

  #scheduleFrame() {
    if (this.state !== 'recording') return
    const next = this.#t0 + ((this.#frames + 1) * 1000) / FPS
    this.#frameTimer = setTimeout(() => {
      try {
        this.#tick()
      } catch (error) {
        this.options.log(`recording ${this.key}: frame failed: ${(error as Error).message}`)
      }
      this.#scheduleFrame()
    }, Math.max(1, next - Date.now()))
  }

  #tick() {
    const encoder = this.#encoder
    if (!encoder || encoder.ended) return
    if (encoder.backlog > encoder.maxBacklog) {
      // FFmpeg has not read for a long while although pictures are left out (below): the media
      // clock of this part pauses (nothing is written, on both streams alike, so sync holds)
      // until it has caught up; the lost time is counted.
      const pause = 1000 / FPS
      this.#t0 += pause
      this.#skippedMs += pause
      return
    }
    const elapsed = Date.now() - this.#t0
    const dueFrames = Math.floor((elapsed * FPS) / 1000) + 1
    // Each frame shows the pictures that had arrived MEDIA_DELAY_MS before its own slot on the
    // part's clock, not before the tick that writes it: a tick that runs late (a busy host) fills
    // the slots it missed with the pictures of their time. Sound is placed the same way.
    while (this.#frames < dueFrames) {
      const slotMs = (this.#frames * 1000) / FPS
      this.#writePicture(encoder, this.#compose(this.#t0 + slotMs - MEDIA_DELAY_MS), slotMs)
      this.#frames++
    }
    const dueSamples = Math.floor((elapsed * AUDIO_RATE) / 1000)
    if (dueSamples > this.#samples) {
      const slotMs = (this.#samples * 1000) / AUDIO_RATE
      encoder.writeAudio(this.#mix(dueSamples - this.#samples, this.#t0 + slotMs), slotMs)
      this.#samples = dueSamples
    }
  }

  /**
   * A picture goes to the encoder only when it differs from the last one written (or that one is
   * REPEAT_MS old, so the encoder's output keeps flowing), and not while MAX_QUEUED_PICTURES already
   * wait for FFmpeg: it repeats the previous picture meanwhile, so an encoder short of CPU makes the
   * video choppier, never shorter.
   */
  #writePicture(encoder: PartEncoder, picture: Buffer, slotMs: number) {
    const last = this.#written
    if (last && (last.data === picture ? slotMs - last.atMs < REPEAT_MS : false)) return
    if (last && encoder.backlog > MAX_QUEUED_PICTURES * encoder.pictureBytes) return void this.#leftOut++
    // Two holds: the write until FFmpeg's pipe took it, and `#written` until the next picture replaces it.
    this.#framePool.hold(picture)
    encoder.writeVideo(picture, slotMs, () => this.#framePool.release(picture))
    this.#framePool.hold(picture)
    this.#framePool.release(last?.data)
    this.#written = { data: picture, atMs: slotMs }
  }

  /** The frame for pictures shown at `shownAt` (ms); consecutive slots with the same pictures share one buffer. */
  #compose(shownAt: number): Buffer {
    const { width, height } = this.options
    const picture = (key: string | null) => (key ? (this.#inputs.get(key)?.frameAt(shownAt, 1000 / FPS) ?? null) : null)
    const screen = picture(this.#layout.screen)
    const teacher = picture(this.#layout.teacher)
    const speaker = picture(this.#layout.speaker)
    const stage = screen ?? this.#board ?? (this.#layout.teacherOnStage ? teacher : null) ?? this.#background
    const pips = [stage === teacher ? null : teacher, speaker]
    const last = this.#lastComposed
    if (last && last.stage === stage && last.pips[0] === pips[0] && last.pips[1] === pips[1]) return last.data
    const out: I420 = { width, height, data: this.#framePool.take() }
    stage.data.copy(out.data, 0, 0, this.#frameBytes)
    const pip = this.#pipSize()
    const margin = Math.round(width / 80 / 2) * 2
    const y = height - pip.height - margin
    let x = width - pip.width - margin
    for (const picture of pips) {
      if (!picture) continue
      fillRect(out, x - 2, y - 2, pip.width + 4, pip.height + 4, PIP_BORDER)
      blit(out, picture, x, y)
      x -= pip.width + margin
    }
    this.#framePool.hold(out.data)
    this.#framePool.release(last?.data)
    this.#lastComposed = { stage, pips, data: out.data }
    return out.data
  }

  /** `samples` samples of every microphone mixed, for the slots from `slotMs` on. */
  #mix(samples: number, slotMs: number): Int16Array {
    const mixed = new Int32Array(samples)
    for (const input of this.#inputs.values()) {
      if (input.kind !== 'audio') continue
      const chunk = input.audio.take(samples, slotMs, MEDIA_DELAY_MS)
      for (let i = 0; i < samples; i++) mixed[i] += chunk[i]
    }
    const out = new Int16Array(samples)
    for (let i = 0; i < samples; i++) out[i] = Math.max(-32768, Math.min(32767, mixed[i]))
    return out
  }

  // ---- whiteboard ------------------------------------------------------------------------

  /** A new scene of the teacher's current page; older snapshots arriving late are ignored. */
  setBoard(scene: BoardScene, takenAt: number) {
    if (takenAt < this.#boardTakenAt || this.state !== 'recording') return
    this.#boardTakenAt = takenAt
    this.#boardPending = scene
    if (!this.#boardRendering) void this.#renderBoards()
  }

  async #renderBoards() {
    this.#boardRendering = true
    try {
      while (this.#boardPending && this.state === 'recording') {
        const scene = this.#boardPending
        this.#boardPending = null
        const started = Date.now()
        try {
          this.#board = await this.options.renderer.render(scene, this.options.width, this.options.height)
          this.#boardError = null
        } catch (error) {
          this.#boardError = (error as Error).message
          this.options.log(`recording ${this.key}: board render failed: ${this.#boardError}`)
          // Chromium died mid-render: the scene is tried again with a fresh browser.
          this.#boardPending ??= scene
          await new Promise((r) => setTimeout(r, 1000))
        }
        const wait = BOARD_MIN_INTERVAL_MS - (Date.now() - started)
        if (wait > 0) await new Promise((r) => setTimeout(r, wait))
      }
    } finally {
      this.#boardRendering = false
    }
  }

  // ---- control ---------------------------------------------------------------------------

  status() {
    return {
      recordingKey: this.key,
      roomKey: this.options.roomKey,
      state: this.state,
      parts: this.parts,
      encoderPid: this.#encoder?.pid ?? null,
      decoderPids: [...this.#inputs.values()].map((i) => i.decoderPid).filter((pid): pid is number => pid !== null),
      inputs: [...this.#inputs.entries()].map(([key, input]) => ({
        key,
        kind: input.kind,
        hasPicture: Boolean(input.latest),
        mixing: input.audio.started,
        decoderError: input.decoderError,
      })),
      layout: { ...this.#layout, board: Boolean(this.#board) },
      boardError: this.#boardError,
      skippedMs: Math.round(this.#skippedMs),
      leftOutPictures: this.#leftOut,
    }
  }

  killEncoder() {
    this.#encoder?.kill()
  }

  killDecoders() {
    for (const input of this.#inputs.values()) input.killDecoder()
  }

  /** Ends the recording on this sidecar: the last part is completed and handed to the uploader. */
  async stop() {
    if (this.state !== 'recording') return
    this.state = 'stopping'
    if (this.#selectTimer) clearInterval(this.#selectTimer)
    if (this.#frameTimer) clearTimeout(this.#frameTimer)
    const encoder = this.#encoder
    this.#encoder = null
    // The last picture is shown to the end (FFmpeg repeats a picture only up to the next one).
    const lastSlotMs = ((this.#frames - 1) * 1000) / FPS
    if (encoder && this.#written && lastSlotMs > this.#written.atMs) encoder.writeVideo(this.#written.data, lastSlotMs)
    await encoder?.finish()
    if (encoder) this.options.uploader.close(encoder.dir)
    for (const input of this.#inputs.values()) input.close()
    this.#inputs.clear()
    this.state = 'stopped'
  }
}
