import type { types } from 'mediasoup'

/** Header extensions that make mediasoup estimate the bandwidth of a transport (and probe it). */
const BWE_EXTENSIONS = ['transport-wide-cc', 'abs-send-time']
const BWE_FEEDBACK = ['transport-cc', 'goog-remb']

/**
 * What the recording's own consumers accept: the router's codecs without retransmission (RTX) and
 * without bandwidth estimation. Each decoder FFmpeg reads one RTP stream per port and follows its
 * sequence numbers. With transport-cc or REMB, mediasoup probes the plain transport's bandwidth
 * with padding packets of its own SSRC and sequence numbers on that same port: FFmpeg took their
 * numbers as the stream's, held every real packet in its reorder queue until its maximum delay
 * ("max delay reached", "RTP: missed 18283 packets") and dropped or delayed pictures — the camera
 * in a recording froze or lagged its sound, the more so on a busy host.
 */
export function recordingCapabilities(capabilities: types.RtpCapabilities): types.RtpCapabilities {
  return {
    codecs: (capabilities.codecs ?? [])
      .filter((codec) => !/\/rtx$/i.test(codec.mimeType))
      .map((codec) => ({ ...codec, rtcpFeedback: (codec.rtcpFeedback ?? []).filter((fb) => !BWE_FEEDBACK.includes(fb.type)) })),
    headerExtensions: (capabilities.headerExtensions ?? []).filter((ext) => !BWE_EXTENSIONS.some((name) => ext.uri.includes(name))),
  }
}
