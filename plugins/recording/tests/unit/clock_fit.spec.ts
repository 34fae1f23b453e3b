import { test } from '@japa/runner'
import { ClockFit } from '#app/media/sidecar/recording/clock_fit'

test.group('Recording: media time to wall clock over the fastest path (ClockFit)', () => {
  test('pictures that waited in a decoder falling behind — for seconds, as over a busy class — keep the time of their media', ({ assert }) => {
    const fit = new ClockFit()
    // A picture every 33 ms, media time 1000 ms behind the wall clock, 10 ms through the decoder at
    // first; from 2 s on the decoder falls behind by 2 ms per picture up to 150 ms and stays there 20 s.
    for (let i = 0; i < 800; i++) {
      const media = i * 33
      const backlog = i < 60 ? 0 : Math.min(150, (i - 60) * 2)
      fit.add(1000 + media + 10 + backlog, media)
      // It may drift by 1 ms per second at most: 27 ms over the 26 s.
      assert.closeTo(fit.map(media)!, 1000 + media + 10, 1 + (media / 1000) * 1.05, `picture ${i}`)
    }
  })

  test('nothing known before the first picture; a start-up burst is corrected by the prompt pictures after it', ({ assert }) => {
    const fit = new ClockFit()
    assert.isNull(fit.map(0))
    // The first 10 pictures arrive together at 400 ms (decoder start-up), then each 10 ms after its media time.
    for (let i = 0; i < 10; i++) fit.add(400, i * 33)
    for (let i = 10; i < 30; i++) fit.add(i * 33 + 10, i * 33)
    assert.closeTo(fit.map(900)!, 910, 0.001)
  })

  test('a sender clock slower than ours is followed', ({ assert }) => {
    const fit = new ClockFit()
    // 200 ppm: the media clock loses 0.2 ms per second against the wall clock, over 10 minutes.
    for (let s = 0; s <= 600; s += 0.02) fit.add(s * 1000, s * 1000 * (1 - 0.0002))
    assert.closeTo(fit.map(600_000 * (1 - 0.0002))!, 600_000, 1)
  })
})
