import type { types } from 'mediasoup'

/**
 * The SDP FFmpeg reads to receive one consumer's RTP on 127.0.0.1:`port` (RTCP on port + 1).
 * Built from the consumer's own rtpParameters, so VP8, H264 and Opus all work.
 */
export function consumerSdp(kind: 'audio' | 'video', rtpParameters: types.RtpParameters, port: number) {
  const codec = rtpParameters.codecs[0]
  const [, name] = codec.mimeType.split('/')
  const channels = kind === 'audio' && codec.channels ? `/${codec.channels}` : ''
  const fmtp = Object.entries(codec.parameters ?? {})
    .map(([key, value]) => `${key}=${value}`)
    .join(';')
  return [
    'v=0',
    'o=- 0 0 IN IP4 127.0.0.1',
    's=aula-recording',
    'c=IN IP4 127.0.0.1',
    't=0 0',
    `m=${kind} ${port} RTP/AVP ${codec.payloadType}`,
    `a=rtpmap:${codec.payloadType} ${name}/${codec.clockRate}${channels}`,
    ...(fmtp ? [`a=fmtp:${codec.payloadType} ${fmtp}`] : []),
    'a=recvonly',
    '',
  ].join('\n')
}
