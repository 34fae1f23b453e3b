/**
 * Decoded sound of one input (mono s16le) with the time each sample arrived, so the compositor can
 * play it exactly `delayMs` after it arrived — the delay pictures get too (MediaInput.frameAt) —
 * whatever the timer ticks, the decoder's bursts or a paused part clock did meanwhile.
 *
 * Arrival times come from a clock fitted to the sample count: sample k arrived at base + k / rate,
 * where base is the earliest (least delayed) fit of the chunks of the last WINDOW_MS. Chunks that
 * came late (a busy host, a decoder burst) do not move it, so the sound is not shifted by jitter,
 * and samples the decoder never produced (a lost packet) are caught up within the window.
 */
export class TimedAudioQueue {
  #chunks: Buffer[] = []
  #bytes = 0
  /** Samples ever received, and the index of the next sample to play. */
  #received = 0
  #head = 0
  /** Sliding-window minimum of (arrival − samples received × ms per sample): [arrival, fit]. */
  #fits: [number, number][] = []

  static readonly WINDOW_MS = 400
  /** How far the sound may be from its place before samples are dropped or silence is inserted. */
  static readonly TOLERANCE_MS = 15

  constructor(readonly rate: number) {}

  /** Bytes of decoded sound waiting (2 per sample). */
  get buffered() {
    return this.#bytes
  }

  /** A chunk of decoded sound that arrived at `at` (ms). */
  push(chunk: Buffer, at: number) {
    const samples = chunk.length >> 1
    if (!samples) return
    this.#chunks.push(samples * 2 === chunk.length ? chunk : chunk.subarray(0, samples * 2))
    this.#bytes += samples * 2
    this.#received += samples
    // The chunk's last sample arrived at `at`: the clock's start is at most this.
    const fit = at - (this.#received * 1000) / this.rate
    while (this.#fits.length && this.#fits.at(-1)![1] >= fit) this.#fits.pop()
    this.#fits.push([at, fit])
    while (this.#fits[0][0] < at - TimedAudioQueue.WINDOW_MS) this.#fits.shift()
    // Nobody plays it (no encoder right now): keep the last two seconds.
    if (this.#bytes > this.rate * 4) this.#drop((this.#bytes - this.rate * 4) >> 1)
  }

  /** Whether any sound arrived yet. */
  get started() {
    return this.#received > 0
  }

  /** When sample `index` arrived (ms), on the fitted clock; null before any sound. */
  arrivalOf(index: number): number | null {
    return this.#fits.length ? this.#fits[0][1] + (index * 1000) / this.rate : null
  }

  /**
   * `samples` samples to play from `slotMs` (ms, the part's clock) on: the sound that arrived
   * `delayMs` before each slot. Sound older than that is dropped, silence stands in for sound
   * that has not arrived yet.
   */
  take(samples: number, slotMs: number, delayMs: number): Int16Array {
    const out = new Int16Array(samples)
    const base = this.arrivalOf(0)
    if (base === null) return out
    const wanted = Math.round(((slotMs - delayMs - base) * this.rate) / 1000)
    const tolerance = (TimedAudioQueue.TOLERANCE_MS * this.rate) / 1000
    let offset = 0
    if (wanted - this.#head > tolerance) this.#drop(Math.min(wanted, this.#received) - this.#head)
    else if (this.#head - wanted > tolerance) offset = Math.min(samples, this.#head - wanted)
    this.#read(out, offset)
    return out
  }

  #drop(samples: number) {
    let bytes = samples * 2
    while (bytes > 0 && this.#chunks.length) {
      const head = this.#chunks[0]
      if (head.length <= bytes) {
        this.#chunks.shift()
        bytes -= head.length
        this.#bytes -= head.length
        this.#head += head.length >> 1
      } else {
        this.#chunks[0] = head.subarray(bytes)
        this.#bytes -= bytes
        this.#head += bytes >> 1
        bytes = 0
      }
    }
  }

  /** Fills `out` from `offset` with queued samples; what is missing stays silent. */
  #read(out: Int16Array, offset: number) {
    let index = offset
    while (index < out.length && this.#chunks.length) {
      const head = this.#chunks[0]
      const n = Math.min(head.length >> 1, out.length - index)
      for (let i = 0; i < n; i++) out[index + i] = head.readInt16LE(i * 2)
      index += n
      this.#bytes -= n * 2
      this.#head += n
      if (n * 2 === head.length) this.#chunks.shift()
      else this.#chunks[0] = head.subarray(n * 2)
    }
  }
}
