import { test } from '@japa/runner'
import { isPermanentFailure, retryDelayMs } from '#app/mail/outbox_sender'

test.group('Mail outbox: retry rules', () => {
  test('the delay doubles with each failed attempt, capped, with ±10 % jitter', ({ assert }) => {
    const middle = () => 0.5
    assert.equal(retryDelayMs(1, 30_000, 3_600_000, middle), 30_000)
    assert.equal(retryDelayMs(2, 30_000, 3_600_000, middle), 60_000)
    assert.equal(retryDelayMs(4, 30_000, 3_600_000, middle), 240_000)
    assert.equal(retryDelayMs(20, 30_000, 3_600_000, middle), 3_600_000)
    assert.equal(retryDelayMs(1, 30_000, 3_600_000, () => 0), 27_000)
    assert.equal(retryDelayMs(1, 30_000, 3_600_000, () => 1), 33_000)
  })

  test('only SMTP 5xx answers are permanent', ({ assert }) => {
    assert.isTrue(isPermanentFailure({ responseCode: 550 }))
    assert.isFalse(isPermanentFailure({ responseCode: 451 }))
    assert.isFalse(isPermanentFailure(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })))
    assert.isFalse(isPermanentFailure(undefined))
  })
})
