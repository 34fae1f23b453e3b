/**
 * Maps a decoder's media time (its RTP timestamps, ms) to the wall clock at which that media
 * reached us over the fastest path seen: the smallest (arrival − media time) so far, allowed to
 * rise by at most `driftPerSecond` ms per second of arrivals (so the sender's clock may drift
 * against ours). Media that waited in a busy decoder (a backlog of packets that builds up over a
 * class, a burst after start-up) arrives later but keeps the time it would have had, so pictures
 * and sound that waited differently long in their decoders keep their place against each other.
 */
export class ClockFit {
  #offset: number | null = null
  #firstArrival: number | null = null
  #lastArrival = 0

  constructor(readonly driftPerSecond = 1) {}

  add(arrivalMs: number, mediaMs: number) {
    const offset = arrivalMs - mediaMs
    const allowed = this.#offset === null ? offset : this.#offset + (this.driftPerSecond * Math.max(0, arrivalMs - this.#lastArrival)) / 1000
    this.#offset = Math.min(offset, allowed)
    this.#firstArrival ??= arrivalMs
    this.#lastArrival = arrivalMs
  }

  /** How long arrivals have been added for (ms): the fit is only as good as the fastest path seen in that time. */
  get seenForMs() {
    return this.#firstArrival === null ? 0 : this.#lastArrival - this.#firstArrival
  }

  /** The wall-clock time of `mediaMs`; null before anything was added. */
  map(mediaMs: number): number | null {
    return this.#offset === null ? null : mediaMs + this.#offset
  }
}
