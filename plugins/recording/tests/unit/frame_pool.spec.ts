import { test } from '@japa/runner'
import { FramePool } from '#app/media/sidecar/recording/frame_pool'

test.group('Recording: composed frames’ buffers reused once nothing refers to them (FramePool)', () => {
  test('a buffer is handed out again only after every hold on it was released', ({ assert }) => {
    const pool = new FramePool(8)
    const frame = pool.take()
    pool.hold(frame) // the last composed frame
    pool.hold(frame) // a write in flight
    assert.notStrictEqual(pool.take(), frame, 'held twice: a new buffer')
    pool.release(frame)
    assert.notStrictEqual(pool.take(), frame, 'still held once')
    pool.release(frame)
    assert.strictEqual(pool.take(), frame, 'no hold left: reused')
  })

  test('buffers of another size are not pooled; at most `keep` spare buffers are kept', ({ assert }) => {
    const pool = new FramePool(8, 1)
    const foreign = Buffer.alloc(4)
    pool.hold(foreign)
    pool.release(foreign)
    assert.notStrictEqual(pool.take(), foreign)
    const [a, b] = [pool.take(), pool.take()]
    for (const buffer of [a, b]) pool.hold(buffer)
    pool.release(a)
    pool.release(b)
    assert.strictEqual(pool.take(), a, 'the one spare kept')
    assert.notStrictEqual(pool.take(), b, 'the second was left to the garbage collector')
  })
})
