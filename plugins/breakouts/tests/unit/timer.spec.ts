import { test } from '@japa/runner'
import { endsAt, extend } from '../../timer.js'

const MINUTE = 60_000

test.group('Breakout timer', () => {
  /* Expiry is tested through what the product runs (the sweeper, breakouts.spec.ts); the one-minute
     warning is drawn by BreakoutBanner.vue in the browser. */
  test('a round ends its duration after it starts', ({ assert }) => {
    assert.equal(endsAt(0, 10), 10 * MINUTE)
  })

  test('extending and shortening move the end; it never ends sooner than a minute from now', ({ assert }) => {
    const now = 1_000_000
    const end = now + 5 * MINUTE
    assert.equal(extend(end, 3, now), now + 8 * MINUTE)
    assert.equal(extend(end, -2, now), now + 3 * MINUTE)
    assert.equal(extend(end, -30, now), now + MINUTE)
  })

  test('durations are clamped between one minute and four hours', ({ assert }) => {
    assert.equal(endsAt(0, 0), MINUTE)
    assert.equal(endsAt(0, 10_000), 240 * MINUTE)
  })
})
