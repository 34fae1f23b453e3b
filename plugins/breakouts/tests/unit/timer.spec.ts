import { test } from '@japa/runner'
import { endsAt, extend, isExpired, isInWarning } from '../../timer.js'

const MINUTE = 60_000

test.group('Breakout timer', () => {
  test('expires at the end time, warns in the last minute', ({ assert }) => {
    const end = endsAt(0, 10)
    assert.equal(end, 10 * MINUTE)
    assert.isFalse(isExpired(end, end - 1))
    assert.isTrue(isExpired(end, end))
    assert.isFalse(isInWarning(end, end - 2 * MINUTE))
    assert.isTrue(isInWarning(end, end - 30_000))
    assert.isFalse(isInWarning(end, end + 1))
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
