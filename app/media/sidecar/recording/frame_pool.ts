/**
 * The composed frames' buffers (a picture of the whole recording, 1.4 MB at 720p), reused once
 * nothing refers to them any more: neither the compositor (its last composed and last written frame)
 * nor a write to the encoder still in flight. Allocating one per changed frame — 30 a second while a
 * camera shows in the picture-in-picture — kept V8's garbage collector busy. (A write whose callback never
 * comes leaves its buffer to the garbage collector: the holds are a WeakMap.)
 */
export class FramePool {
  #spare: Buffer[] = []
  #holds = new WeakMap<Buffer, number>()

  /** `keep`: spare buffers kept at most (the rest are left to the garbage collector). */
  constructor(
    readonly bytes: number,
    readonly keep = 4
  ) {}

  /** A buffer nobody refers to: a spare one, or a new one. */
  take(): Buffer {
    return this.#spare.pop() ?? Buffer.allocUnsafe(this.bytes)
  }

  /** One more reference to `buffer` (a buffer of this pool; others are ignored). */
  hold(buffer: Buffer) {
    if (buffer.length === this.bytes) this.#holds.set(buffer, (this.#holds.get(buffer) ?? 0) + 1)
  }

  /** One reference fewer; with none left the buffer is spare. */
  release(buffer: Buffer | null | undefined) {
    const holds = buffer ? this.#holds.get(buffer) : undefined
    if (!buffer || holds === undefined) return
    if (holds > 1) return void this.#holds.set(buffer, holds - 1)
    this.#holds.delete(buffer)
    if (this.#spare.length < this.keep) this.#spare.push(buffer)
  }
}
