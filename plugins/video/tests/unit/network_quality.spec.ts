import { test } from '@japa/runner'
import { classify } from '../../ui/network_quality.js'

/* The thresholds of the connection badge (plugins/video/ui/network_quality.ts). */
test.group('Video: connection quality levels', () => {
  test('round-trip time, loss and outgoing bitrate each set the level; the worst wins', ({ assert }) => {
    const ok = { rttMs: 20, lossPercent: 0, outgoingKbps: 1500 }
    assert.equal(classify(ok, true), 'good')
    assert.equal(classify({ ...ok, rttMs: 300 }, true), 'fair')
    assert.equal(classify({ ...ok, rttMs: 700 }, true), 'poor')
    assert.equal(classify({ ...ok, lossPercent: 5 }, true), 'fair')
    assert.equal(classify({ ...ok, lossPercent: 12 }, true), 'poor')
    assert.equal(classify({ ...ok, outgoingKbps: 200 }, true), 'fair')
    assert.equal(classify({ ...ok, outgoingKbps: 80 }, true), 'poor')
    assert.equal(classify({ ...ok, rttMs: 300, lossPercent: 12 }, true), 'poor')
  })

  test('a low outgoing estimate counts only while the camera sends; unknown figures count as fine', ({ assert }) => {
    assert.equal(classify({ rttMs: 20, lossPercent: 0, outgoingKbps: 50 }, false), 'good')
    assert.equal(classify({ rttMs: null, lossPercent: null, outgoingKbps: null }, true), 'good')
  })
})
