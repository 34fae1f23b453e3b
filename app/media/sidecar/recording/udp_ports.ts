import { createSocket } from 'node:dgram'
import { readFile } from 'node:fs/promises'

const bind = (port: number) =>
  new Promise<import('node:dgram').Socket | null>((resolve) => {
    const socket = createSocket('udp4')
    socket.once('error', () => {
      socket.close()
      resolve(null)
    })
    socket.bind(port, '127.0.0.1', () => resolve(socket))
  })

/** A free even UDP port whose successor is free too (RTP + RTCP for FFmpeg), found by binding and releasing. */
export async function freeRtpPortPair(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const probe = await bind(0)
    if (!probe) continue
    const port = probe.address().port & ~1
    probe.close()
    const rtp = await bind(port)
    const rtcp = rtp ? await bind(port + 1) : null
    rtp?.close()
    rtcp?.close()
    if (rtp && rtcp && port >= 1024) return port
  }
  throw new Error('No free UDP port pair for a recording input')
}

/** Whether some process has bound this UDP port on IPv4 (/proc/net/udp), i.e. FFmpeg is listening. */
export async function udpPortBound(port: number) {
  const table = await readFile('/proc/net/udp', 'utf8').catch(() => '')
  return table
    .split('\n')
    .slice(1)
    .some((line) => Number.parseInt(line.trim().split(/\s+/)[1]?.split(':')[1] ?? '', 16) === port)
}
