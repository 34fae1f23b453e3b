import { createSocket, type RemoteInfo, type Socket as UdpSocket } from 'node:dgram'
import { createServer, connect, type Server, type Socket } from 'node:net'

/*
| A userspace "bad network" in front of a media port (the kernel here has no netem): UDP and TCP on
| listenHost:port are forwarded to targetHost:port with `delayMs` added in each direction, and
| `lossRate` of the UDP datagrams dropped in each direction. On TCP nothing can be dropped (the kernel
| retransmits a lost segment): a "lost" chunk is held back `tcpRetransmitMs` longer instead, and the
| chunks behind it wait for it (head-of-line blocking, as on a real lossy TCP path).
| Counts what it forwarded and dropped.
*/

export interface LossyRelayOptions {
  listenHost: string
  targetHost: string
  port: number
  delayMs: number
  lossRate: number
  tcpRetransmitMs?: number
  /** Deterministic loss pattern for a run (a seeded PRNG); Math.random when absent. */
  seed?: number
}

function prng(seed: number | undefined) {
  if (seed === undefined) return Math.random
  let state = seed >>> 0 || 1
  return () => {
    // xorshift32
    state ^= state << 13
    state >>>= 0
    state ^= state >>> 17
    state ^= state << 5
    state >>>= 0
    return state / 0x1_0000_0000
  }
}

export async function startLossyRelay(options: LossyRelayOptions) {
  const random = prng(options.seed)
  const stats = { udpForwarded: 0, udpDropped: 0, tcpChunks: 0, tcpHeldBack: 0 }
  const later = (fn: () => void, ms: number) => (ms > 0 ? setTimeout(fn, ms) : setImmediate(fn))

  /* UDP: one upstream socket per client address, so the target sees one 5-tuple per browser socket. */
  const front = createSocket('udp4')
  const upstreams = new Map<string, UdpSocket>()
  const upstreamOf = (client: RemoteInfo) => {
    const key = `${client.address}:${client.port}`
    let upstream = upstreams.get(key)
    if (!upstream) {
      upstream = createSocket('udp4')
      upstream.bind(0, options.targetHost, () => upstream!.setRecvBufferSize(4 << 20))
      upstream.on('message', (data) => {
        if (random() < options.lossRate) return void stats.udpDropped++
        later(() => {
          stats.udpForwarded++
          front.send(data, client.port, client.address)
        }, options.delayMs)
      })
      upstream.on('error', () => {})
      upstreams.set(key, upstream)
    }
    return upstream
  }
  front.on('message', (data, client) => {
    const upstream = upstreamOf(client)
    if (random() < options.lossRate) return void stats.udpDropped++
    later(() => {
      stats.udpForwarded++
      upstream.send(data, options.port, options.targetHost)
    }, options.delayMs)
  })
  front.on('error', () => {})
  await new Promise<void>((resolve) => front.bind(options.port, options.listenHost, () => resolve()))
  front.setRecvBufferSize(4 << 20)
  front.setSendBufferSize(4 << 20)

  /* TCP: each chunk is delivered delayMs after it arrived (or later when held back), in order. */
  const sockets = new Set<Socket>()
  const pipeDelayed = (from: Socket, to: Socket) => {
    const queue: { at: number; chunk: Buffer | null }[] = []
    let timer: ReturnType<typeof setTimeout> | null = null
    const drain = () => {
      timer = null
      while (queue.length && queue[0].at <= Date.now()) {
        const { chunk } = queue.shift()!
        if (to.destroyed) continue
        if (chunk) to.write(chunk)
        else to.end()
      }
      if (queue.length) timer = setTimeout(drain, queue[0].at - Date.now())
    }
    const push = (chunk: Buffer | null) => {
      let at = Date.now() + options.delayMs
      if (chunk && random() < options.lossRate) {
        stats.tcpHeldBack++
        at += options.tcpRetransmitMs ?? 200
      }
      // In order: nothing overtakes a chunk that is held back.
      queue.push({ at: Math.max(at, queue.at(-1)?.at ?? 0), chunk })
      if (!timer) timer = setTimeout(drain, Math.max(0, queue[0].at - Date.now()))
    }
    from.on('data', (chunk) => {
      stats.tcpChunks++
      push(chunk)
    })
    from.on('end', () => push(null))
  }
  const tcp: Server = createServer((client) => {
    const upstream = connect({ host: options.targetHost, port: options.port })
    for (const socket of [client, upstream]) {
      sockets.add(socket)
      socket.on('close', () => sockets.delete(socket))
      socket.on('error', () => {
        client.destroy()
        upstream.destroy()
      })
    }
    pipeDelayed(client, upstream)
    pipeDelayed(upstream, client)
  })
  await new Promise<void>((resolve, reject) => {
    tcp.once('error', reject)
    tcp.listen(options.port, options.listenHost, () => resolve())
  })

  return {
    stats,
    close: () =>
      new Promise<void>((resolve) => {
        front.close()
        for (const upstream of upstreams.values()) upstream.close()
        for (const socket of sockets) socket.destroy()
        tcp.close(() => resolve())
      }),
  }
}
