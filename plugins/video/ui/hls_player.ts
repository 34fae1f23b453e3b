import Hls, { type HlsConfig } from 'hls.js'

/**
 * hls.js settings for the class's live stream (1 s fMP4 segments, 1 s GOPs): play 2 s behind the
 * live edge, catch up a little faster when drifting behind, jump forward past 6 s. In seconds rather
 * than in target durations, so the distance does not depend on what the playlist announces.
 * `lowLatencyMode` is on although the playlist has no LL-HLS parts: hls.js adjusts the playback rate
 * towards `liveSyncDuration` only in that mode, so without it the player never catches up after a
 * slow start or a stall and stays wherever it fell behind (3.5 s in the issue-14 bench).
 */
export const HLS_CONFIG: Partial<HlsConfig> = {
  liveSyncDuration: 2,
  liveMaxLatencyDuration: 6,
  maxLiveSyncPlaybackRate: 1.2,
  backBufferLength: 10,
  lowLatencyMode: true,
  enableWorker: true,
}

/** No progress of the picture for this long while it should play: start the stream over. */
const STALL_MS = 6000
const RESTART_DELAY_MS = 1000

/**
 * Plays a class's live HLS stream in a <video> and keeps it playing without a page reload: a fatal
 * network error (the sidecar restarted, the playlist is briefly missing) or a stalled picture (the
 * encoder restarted with a new init segment and timeline) starts hls.js over on the same element;
 * a media error is first handed to hls.js' own recoverMediaError().
 */
export class HlsPlayback {
  #hls: Hls | null = null
  #watchdog: ReturnType<typeof setInterval> | null = null
  #restartTimer: ReturnType<typeof setTimeout> | null = null
  #lastTime = -1
  #lastProgressAt = Date.now()
  #closed = false
  /** Times the stream was started over (diagnostics). */
  restarts = 0
  onMutedAutoplay: () => void = () => {}

  constructor(
    private video: HTMLVideoElement,
    private src: string
  ) {}

  /** Seconds the playhead is behind the live edge of the playlist (hls.js' estimate; null before it knows). */
  get latency(): number | null {
    return this.#hls?.latency ?? null
  }

  static supported() {
    return Hls.isSupported()
  }

  start() {
    this.#load()
    this.#watchdog = setInterval(() => this.#checkProgress(), 1000)
  }

  #load() {
    const hls = new Hls(HLS_CONFIG)
    this.#hls = hls
    this.#lastProgressAt = Date.now()
    hls.on(Hls.Events.ERROR, (_event, data) => {
      if (!data.fatal || hls !== this.#hls) return
      if (data.type === Hls.ErrorTypes.MEDIA_ERROR) hls.recoverMediaError()
      else this.#restartSoon()
    })
    hls.on(Hls.Events.MANIFEST_PARSED, () => void this.#play())
    hls.loadSource(this.src)
    hls.attachMedia(this.video)
  }

  async #play() {
    try {
      await this.video.play()
    } catch (error) {
      if ((error as DOMException).name !== 'NotAllowedError') return
      /* No user gesture yet: play muted and let the viewer unmute. */
      this.video.muted = true
      this.onMutedAutoplay()
      await this.video.play().catch(() => {})
    }
  }

  #checkProgress() {
    const now = Date.now()
    if (this.video.currentTime !== this.#lastTime) {
      this.#lastTime = this.video.currentTime
      this.#lastProgressAt = now
      return
    }
    if (!this.#restartTimer && now - this.#lastProgressAt > STALL_MS) this.#restartSoon(0)
  }

  #restartSoon(delay = RESTART_DELAY_MS) {
    if (this.#closed || this.#restartTimer) return
    this.#restartTimer = setTimeout(() => {
      this.#restartTimer = null
      if (this.#closed) return
      this.restarts++
      this.#hls?.destroy()
      this.#load()
    }, delay)
  }

  close() {
    this.#closed = true
    if (this.#watchdog) clearInterval(this.#watchdog)
    if (this.#restartTimer) clearTimeout(this.#restartTimer)
    this.#hls?.destroy()
    this.#hls = null
  }
}
