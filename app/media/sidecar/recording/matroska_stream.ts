/*
| The encoder's one input: a live Matroska stream of raw I420 pictures (V_UNCOMPRESSED) and mono
| 16-bit PCM (A_PCM/INT/LIT), each block with its time in microseconds. One input means FFmpeg
| reads pictures and sound in the order they were written, and with timestamps the compositor may
| leave pictures out (an unchanged stage, an encoder that lags) without moving anything in time:
| FFmpeg repeats the previous picture up to the next one (-fps_mode cfr).
| Only what FFmpeg's Matroska demuxer needs: EBML header, a Segment of unknown size, Info, Tracks,
| then one Cluster per block (so the block's relative time is always 0).
*/

const UNKNOWN_SIZE = Buffer.from([0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff])

/** An EBML element size as an 8-byte variable-length integer. */
function size8(n: number) {
  const out = Buffer.alloc(8)
  out.writeUInt8(0x01, 0)
  out.writeUIntBE(n, 2, 6)
  return out
}

function id(value: number) {
  const bytes = value > 0xffffff ? 4 : value > 0xffff ? 3 : value > 0xff ? 2 : 1
  const out = Buffer.alloc(bytes)
  out.writeUIntBE(value, 0, bytes)
  return out
}

function element(elementId: number, payload: Buffer) {
  return Buffer.concat([id(elementId), size8(payload.length), payload])
}

function uint(elementId: number, value: number) {
  const payload = Buffer.alloc(8)
  payload.writeBigUInt64BE(BigInt(value))
  return element(elementId, payload)
}

const text = (elementId: number, value: string) => element(elementId, Buffer.from(value, 'ascii'))
const float = (elementId: number, value: number) => {
  const payload = Buffer.alloc(8)
  payload.writeDoubleBE(value)
  return element(elementId, payload)
}

export const VIDEO_TRACK = 1
export const AUDIO_TRACK = 2

/** EBML header, Segment start, Info (microsecond timestamps) and the two tracks. */
export function matroskaHeader(width: number, height: number, sampleRate: number) {
  const ebml = element(
    0x1a45dfa3,
    Buffer.concat([uint(0x4286, 1), uint(0x42f7, 1), uint(0x42f2, 4), uint(0x42f3, 8), text(0x4282, 'matroska'), uint(0x4287, 4), uint(0x4285, 2)])
  )
  const info = element(0x1549a966, Buffer.concat([uint(0x2ad7b1, 1000), text(0x4d80, 'aula'), text(0x5741, 'aula')]))
  const video = element(
    0xae,
    Buffer.concat([
      uint(0xd7, VIDEO_TRACK), uint(0x73c5, VIDEO_TRACK), uint(0x83, 1), uint(0x9c, 0), text(0x86, 'V_UNCOMPRESSED'),
      element(0xe0, Buffer.concat([uint(0xb0, width), uint(0xba, height), element(0x2eb524, Buffer.from('I420', 'ascii'))])),
    ])
  )
  const audio = element(
    0xae,
    Buffer.concat([
      uint(0xd7, AUDIO_TRACK), uint(0x73c5, AUDIO_TRACK), uint(0x83, 2), uint(0x9c, 0), text(0x86, 'A_PCM/INT/LIT'),
      element(0xe1, Buffer.concat([float(0xb5, sampleRate), uint(0x9f, 1), uint(0x6264, 16)])),
    ])
  )
  const tracks = element(0x1654ae6b, Buffer.concat([video, audio]))
  return Buffer.concat([ebml, id(0x18538067), UNKNOWN_SIZE, info, tracks])
}

/**
 * One block at `timeUs` as a Cluster of its own: the head to write before `payload` (written as it
 * is, not copied: pictures are 1.4 MB).
 */
export function matroskaBlockHead(track: number, timeUs: number, payloadBytes: number) {
  const timestamp = uint(0xe7, Math.max(0, Math.round(timeUs)))
  // SimpleBlock: track number (1-byte vint), relative time 0 (int16), flags: key frame.
  const blockHead = Buffer.from([0x80 | track, 0, 0, 0x80])
  const simpleBlockHead = Buffer.concat([id(0xa3), size8(blockHead.length + payloadBytes), blockHead])
  return Buffer.concat([id(0x1f43b675), size8(timestamp.length + simpleBlockHead.length + payloadBytes), timestamp, simpleBlockHead])
}
