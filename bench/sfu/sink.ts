/*
| UDP sinks for the SFU bench, run as a child process so counting packets does not
| share an event loop with the bench's RPC calls. Every PlainTransport consumer of the
| bench sends its RTP to one of these sockets; packets are counted per SSRC (RTCP —
| second byte 192..223, RFC 5761 — is not counted).
|
| For each SSRC it also keeps the first and highest extended RTP sequence number, so the bench can
| compute RTP-style loss (sequence span − packets received), which does not depend on when the
| counters were read.
|
| IPC: parent → { type: 'snapshot', id } ;
|      child → { type: 'snapshot', id, at, counts: [ssrc, packets, bytes, firstSeq, maxSeq][] }
| On start the child sends { type: 'ready', ports }.
*/
import { createSocket } from 'node:dgram'

const sockets = Number(process.env.SINK_SOCKETS ?? 4)
const counts = new Map<number, { packets: number; bytes: number; firstSeq: number; maxSeq: number }>()

const isRtcp = (packet: Buffer) => packet.length >= 2 && packet[1] >= 192 && packet[1] <= 223

function onMessage(packet: Buffer) {
  if (packet.length < 12 || isRtcp(packet)) return
  const ssrc = packet.readUInt32BE(8)
  const seq = packet.readUInt16BE(2)
  let entry = counts.get(ssrc)
  if (!entry) counts.set(ssrc, (entry = { packets: 0, bytes: 0, firstSeq: seq, maxSeq: seq }))
  entry.packets++
  entry.bytes += packet.length
  /* Extend the 16-bit sequence number: the candidate in the cycle nearest to the highest so far. */
  const cycle = entry.maxSeq - (entry.maxSeq & 0xffff)
  let extended = cycle + seq
  if (extended - entry.maxSeq > 0x8000) extended -= 0x10000
  else if (entry.maxSeq - extended > 0x8000) extended += 0x10000
  if (extended > entry.maxSeq) entry.maxSeq = extended
}

const ports: number[] = []
for (let i = 0; i < sockets; i++) {
  const socket = createSocket({ type: 'udp4', recvBufferSize: 4 * 1024 * 1024 })
  socket.on('message', onMessage)
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()))
  ports.push(socket.address().port)
}

process.on('message', (message: { type: string; id: number }) => {
  if (message.type !== 'snapshot') return
  const rows: [number, number, number, number, number][] = []
  for (const [ssrc, { packets, bytes, firstSeq, maxSeq }] of counts) rows.push([ssrc, packets, bytes, firstSeq, maxSeq])
  process.send!({ type: 'snapshot', id: message.id, at: Date.now(), counts: rows })
})
process.on('disconnect', () => process.exit(0))
process.send!({ type: 'ready', ports })
