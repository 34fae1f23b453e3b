import type { ClockFit } from './clock_fit.js'
import type { I420 } from './i420.js'

/**
 * A decoded picture and its media time on the clock fit of the decoder that made it. Its wall-clock
 * time is read from the fit when a frame is composed, not when the picture came: the fit only gets
 * better as faster arrivals come (a decoder's first pictures — a key frame after its start-up — are
 * slow ones), so the pictures of a class's first seconds are not shown late. A restarted decoder
 * has a new fit; the old one keeps mapping its own pictures. Without a stamp, `clock` is null and
 * `mediaMs` is the picture's arrival.
 */
interface KeptPicture {
  frame: I420
  mediaMs: number
  clock: ClockFit | null
}

const timeOf = ({ mediaMs, clock }: KeptPicture) => (clock ? clock.map(mediaMs)! : mediaMs)

/**
 * A decoder's pictures are shown once its clock fit has seen WARM_UP_MS of them. Its first pictures
 * come in a burst after its start-up (the first key frame 250–450 ms after its time, measured in the
 * fault test): mapped before the fit has seen a prompt picture, they would be shown late against
 * their sound, and too late to be moved back by the compositor's delay.
 */
export const WARM_UP_MS = 500
const shown = ({ clock }: KeptPicture) => !clock || clock.seenForMs >= WARM_UP_MS

/** The last pictures of one input, for the compositor to show each at its time. */
export class PictureHistory {
  #pictures: KeptPicture[] = []

  /** `size`: pictures kept; more than the compositor's delay holds. */
  constructor(readonly size: number) {}

  keep(frame: I420, mediaMs: number, clock: ClockFit | null) {
    this.#pictures.push({ frame, mediaMs, clock })
    if (this.#pictures.length > this.size) this.#pictures.shift()
  }

  /**
   * The picture for a frame shown at `time` (ms) for `frameMs`: the newest whose time is at most half
   * a frame after `time` — the picture nearest to the frame's instant, never more than half a frame
   * early. None when every kept picture is later (a camera that just started), as sound is not played
   * before its time either, or while the decoder warms up (WARM_UP_MS).
   */
  at(time: number, frameMs: number): I420 | null {
    const latest = time + frameMs / 2
    for (let i = this.#pictures.length - 1; i >= 0; i--) {
      const picture = this.#pictures[i]
      if (shown(picture) && timeOf(picture) <= latest) return picture.frame
    }
    return null
  }
}
