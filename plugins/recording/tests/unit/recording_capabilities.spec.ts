import { test } from '@japa/runner'
import { getSupportedRtpCapabilities } from 'mediasoup'
import { recordingCapabilities } from '#app/media/sidecar/recording/recording_capabilities'

/**
 * The recording's consumers must not make mediasoup estimate bandwidth on their plain transports:
 * its probation packets (own SSRC and sequence numbers, same port) derailed FFmpeg's RTP reorder
 * queue and froze the recorded camera. The real guard is recording_faults.spec.ts (media); this
 * one names the capabilities that must go and those that must stay.
 */
test.group('Recording consumers’ RTP capabilities', () => {
  test('no transport-cc, REMB, abs-send-time or RTX; codecs, keyframe requests and the other extensions stay', ({ assert }) => {
    const all = getSupportedRtpCapabilities()
    const caps = recordingCapabilities(all)
    const uris = caps.headerExtensions!.map((e) => e.uri)
    assert.notInclude(uris.join(' '), 'transport-wide-cc')
    assert.notInclude(uris.join(' '), 'abs-send-time')
    assert.include(uris, 'urn:ietf:params:rtp-hdrext:sdes:mid')
    assert.isBelow(caps.headerExtensions!.length, all.headerExtensions!.length)
    assert.isFalse(caps.codecs!.some((c) => /\/rtx$/i.test(c.mimeType)))
    const feedback = caps.codecs!.flatMap((c) => (c.rtcpFeedback ?? []).map((fb) => fb.type))
    assert.notInclude(feedback, 'transport-cc')
    assert.notInclude(feedback, 'goog-remb')
    const vp8 = caps.codecs!.find((c) => c.mimeType === 'video/VP8')!
    assert.deepInclude(vp8.rtcpFeedback!, { type: 'nack', parameter: 'pli' })
    assert.deepInclude(vp8.rtcpFeedback!, { type: 'ccm', parameter: 'fir' })
    assert.isTrue(caps.codecs!.some((c) => c.mimeType === 'audio/opus'))
  })
})
