/**
 * Cuts a decoder's raw output (pictures of `frameBytes` each, in chunks of any size) into pictures,
 * each copied once into one of `ring` buffers allocated up front and reused in turn. A recording's
 * decoders hand over tens of megabytes a second; a fresh buffer per picture (and the concatenations
 * it took) kept V8's garbage collector busy: it was most of the compositor's CPU. A buffer is reused
 * `ring` pictures later, so `ring` must exceed the pictures anybody keeps (the input's history, the
 * ones waiting for their stamp, the latest).
 */
export class PictureAssembler {
  #buffers: Buffer[] = []
  #next = 0
  #filling: Buffer | null = null
  #filled = 0
  #startedAt = 0

  constructor(
    readonly frameBytes: number,
    readonly ring: number
  ) {}

  /** The pictures `chunk` completes, each with when its first bytes came (`now` of that chunk). */
  push(chunk: Buffer, now: number): { data: Buffer; startedAt: number }[] {
    const done: { data: Buffer; startedAt: number }[] = []
    let offset = 0
    while (offset < chunk.length) {
      if (!this.#filling) {
        this.#filling = this.#take()
        this.#filled = 0
        this.#startedAt = now
      }
      const copied = chunk.copy(this.#filling, this.#filled, offset, offset + this.frameBytes - this.#filled)
      offset += copied
      this.#filled += copied
      if (this.#filled === this.frameBytes) {
        done.push({ data: this.#filling, startedAt: this.#startedAt })
        this.#filling = null
      }
    }
    return done
  }

  /** Drops a picture cut short (its decoder restarted). */
  reset() {
    this.#filling = null
  }

  #take() {
    const index = this.#next
    this.#next = (this.#next + 1) % this.ring
    this.#buffers[index] ??= Buffer.allocUnsafe(this.frameBytes)
    return this.#buffers[index]
  }
}
