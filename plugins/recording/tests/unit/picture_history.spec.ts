import { test } from '@japa/runner'
import { ClockFit } from '#app/media/sidecar/recording/clock_fit'
import { PictureHistory, WARM_UP_MS } from '#app/media/sidecar/recording/picture_history'
import type { I420 } from '#app/media/sidecar/recording/i420'

const FRAME_MS = 1000 / 30
const picture = (name: string): I420 => ({ width: 2, height: 2, data: Buffer.from(name) })

test.group('Recording: which decoded picture a composed frame shows (PictureHistory)', () => {
  test('a picture kept while the decoder’s clock fit was still slow is shown at the time the better fit gives it', ({ assert }) => {
    const clock = new ClockFit()
    const history = new PictureHistory(30)
    // The decoder's first picture (a key frame after its start-up) came 300 ms after its media time…
    const first = picture('first')
    clock.add(1300, 1000)
    history.keep(first, 1000, clock)
    // …the next ones 100 ms after theirs (for 0.8 s: past the warm-up): the fit learns the fastest path is 100 ms.
    for (let i = 1; i <= 25; i++) {
      clock.add(1100 + i * FRAME_MS, 1000 + i * FRAME_MS)
      history.keep(picture(`p${i}`), 1000 + i * FRAME_MS, clock)
    }
    assert.strictEqual(history.at(1100, FRAME_MS), first, 'the first picture is shown at 1,100 ms, not at the 1,300 ms its slow arrival suggested')
    assert.isNull(history.at(1100 - FRAME_MS, FRAME_MS), 'and not before its time')
  })

  test('each frame shows the picture nearest to its instant, never more than half a frame early', ({ assert }) => {
    const history = new PictureHistory(18)
    const [a, b, c] = [picture('a'), picture('b'), picture('c')]
    history.keep(a, 0, null)
    history.keep(b, FRAME_MS, null)
    history.keep(c, 2 * FRAME_MS, null)
    assert.strictEqual(history.at(FRAME_MS - 5, FRAME_MS), b, '5 ms before b’s time: b is nearer than a')
    assert.strictEqual(history.at(FRAME_MS / 2 - 1, FRAME_MS), a, 'more than half a frame before b: still a')
    assert.strictEqual(history.at(10 * FRAME_MS, FRAME_MS), c, 'the newest once every picture is due')
    assert.isNull(history.at(-FRAME_MS, FRAME_MS), 'none while every picture is later')
  })

  test('pictures of a decoder that was restarted keep the fit of their own decoder; only the last `size` are kept', ({ assert }) => {
    const before = new ClockFit()
    const after = new ClockFit()
    const history = new PictureHistory(3)
    before.add(9_000, -500)
    before.add(10_000, 500)
    history.keep(picture('old'), 500, before)
    // The new decoder counts media time from 0 again; its first picture arrived at 10,100 ms (and it has warmed up).
    after.add(10_100, 0)
    after.add(10_100 + WARM_UP_MS, WARM_UP_MS)
    const fresh = picture('new')
    history.keep(fresh, 0, after)
    assert.equal(history.at(10_000, FRAME_MS)!.data.toString(), 'old')
    assert.strictEqual(history.at(10_100, FRAME_MS), fresh)
    history.keep(picture('x'), 40, after)
    history.keep(picture('y'), 80, after)
    assert.isNull(history.at(10_000, FRAME_MS), 'the oldest picture left the history')
  })

  test('a decoder’s pictures are shown once its fit has seen WARM_UP_MS of them (its first ones come in a burst)', ({ assert }) => {
    const clock = new ClockFit()
    const history = new PictureHistory(30)
    let last: I420 | null = null
    for (let i = 0; i * FRAME_MS < WARM_UP_MS; i++) {
      clock.add(1000 + i * FRAME_MS, i * FRAME_MS)
      last = picture(`p${i}`)
      history.keep(last, i * FRAME_MS, clock)
    }
    assert.isNull(history.at(2000, FRAME_MS), 'still warming up: nothing shown yet')
    clock.add(1000 + WARM_UP_MS, WARM_UP_MS)
    assert.strictEqual(history.at(2000, FRAME_MS), last, 'warmed up: its pictures are shown')
  })
})
