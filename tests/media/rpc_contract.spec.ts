import { test } from '@japa/runner'
import { spawn } from 'node:child_process'
import { RpcClient } from '#app/media/rpc/rpc_client'
import { MediaCluster } from '#app/media/media_cluster'
import { MemorySharedState } from '#app/realtime/shared_state'
import { startSidecarProcess, type SidecarProcess } from '#tests/helpers/sidecar'
import { eventually } from '#tests/helpers/poll'

const SECRET = 'contract-test-secret'

async function client(url: string, secret = SECRET) {
  const rpc = new RpcClient({ url, secret, timeoutMs: 3000, reconnect: false })
  await rpc.start()
  return rpc
}

function until<T>(emitter: { once(event: string, listener: (...args: any[]) => void): unknown }, event: string, ms = 15_000) {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within ${ms} ms`)), ms)
    emitter.once(event, (value: T) => {
      clearTimeout(timer)
      resolve(value)
    })
  })
}

test.group('Media RPC contract (real sidecar, real mediasoup worker)', (group) => {
  let sidecar: SidecarProcess
  group.setup(async () => {
    sidecar = await startSidecarProcess({ port: 4461, secret: SECRET })
    return () => sidecar.kill('SIGKILL')
  })

  test('a wrong secret is refused with a clear error', async ({ assert }) => {
    const rpc = new RpcClient({ url: sidecar.url, secret: 'wrong', reconnect: false })
    await assert.rejects(() => rpc.start(), /authentication failed: wrong secret/)
    assert.isFalse(rpc.ready)
  })

  test('a slow call times out with a clear error and the connection stays usable', async ({ assert }) => {
    const rpc = await client(sidecar.url)
    try {
      const error = await rpc.call('debug.sleep', { ms: 1500 }, 200).catch((e) => e)
      assert.equal(error.code, 'timeout')
      assert.match(error.message, /did not answer within 200 ms/)
      const load = await rpc.call('stats.load', {})
      assert.lengthOf(load.workers, 1)
    } finally {
      rpc.close()
    }
  })

  test('unknown rooms and transports give not_found errors', async ({ assert }) => {
    const rpc = await client(sidecar.url)
    try {
      const error = await rpc.call('transport.create', { roomKey: 'nope', peerId: 'p', direction: 'send' }).catch((e) => e)
      assert.equal(error.code, 'not_found')
    } finally {
      rpc.close()
    }
  })

  test('room.ensure is idempotent', async ({ assert }) => {
    const rpc = await client(sidecar.url)
    try {
      const first = await rpc.call('room.ensure', { roomKey: 'idem' })
      const second = await rpc.call('room.ensure', { roomKey: 'idem' })
      assert.isTrue(first.created)
      assert.isFalse(second.created)
      assert.deepEqual(second.rtpCapabilities, first.rtpCapabilities)
      assert.include((await rpc.call('room.list', {})).roomKeys, 'idem')
    } finally {
      rpc.close()
    }
  })

  test('FFmpeg RTP into a plain transport becomes a producer that can be consumed', async ({ assert }) => {
    const rpc = await client(sidecar.url)
    const roomKey = 'ffmpeg'
    const { rtpCapabilities } = await rpc.call('room.ensure', { roomKey })
    const input = await rpc.call('plainTransport.create', { roomKey, peerId: 'ffmpeg', comedia: true, rtcpMux: true })
    const { producerId } = await rpc.call('producer.create', {
      transportId: input.transportId,
      kind: 'video',
      rtpParameters: {
        codecs: [{ mimeType: 'video/VP8', payloadType: 101, clockRate: 90000 }],
        encodings: [{ ssrc: 22222222 }],
      },
      appData: { source: 'camera' },
    })
    const ffmpeg = spawn('ffmpeg', [
      '-loglevel', 'error', '-re', '-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=15', '-t', '8',
      '-c:v', 'libvpx', '-deadline', 'realtime', '-b:v', '300k', '-ssrc', '22222222', '-payload_type', '101',
      '-f', 'rtp', `rtp://${input.ip}:${input.port}`,
    ])
    try {
      const output = await rpc.call('plainTransport.create', { roomKey, peerId: 'viewer', comedia: false, rtcpMux: true })
      const consumer = await rpc.call('consumer.create', { transportId: output.transportId, producerId, rtpCapabilities })
      assert.equal(consumer.kind, 'video')
      await rpc.call('consumer.resume', { consumerId: consumer.consumerId })

      const bytes = await eventually(
        'the sidecar received FFmpeg RTP',
        async () => {
          const { stats } = await rpc.call('stats.transport', { transportId: input.transportId })
          return Number((stats[0] as { bytesReceived?: number })?.bytesReceived ?? 0)
        },
        { timeoutMs: 9000, intervalMs: 300 }
      )
      assert.isAbove(bytes, 0, 'the sidecar received FFmpeg RTP')
      const producers = await rpc.call('room.producers', { roomKey })
      assert.deepEqual(producers.producers.map((p) => p.producerId), [producerId])
    } finally {
      ffmpeg.kill('SIGKILL')
      rpc.close()
    }
  })

  test('a killed mediasoup worker is replaced and its rooms recreated', async ({ assert }) => {
    const rpc = await client(sidecar.url)
    try {
      await rpc.call('room.ensure', { roomKey: 'survivor' })
      const [{ pid }] = (await rpc.call('stats.load', {})).workers
      const died = until<{ pid: number; roomKeys: string[] }>(rpc, 'worker.died')
      process.kill(pid, 'SIGKILL')
      const event = await died
      assert.equal(event.pid, pid)
      assert.include(event.roomKeys, 'survivor')
      /* The replacement worker is reported once it runs. */
      const load = await eventually('a replacement worker runs', async () => {
        const report = await rpc.call('stats.load', {})
        return report.workers.length === 1 && report.workers[0].pid !== pid ? report : null
      })
      assert.notEqual(load.workers[0].pid, pid)
      assert.include((await rpc.call('room.list', {})).roomKeys, 'survivor')
      const transport = await rpc.call('transport.create', { roomKey: 'survivor', peerId: 'p', direction: 'recv' })
      assert.isString(transport.id)
    } finally {
      rpc.close()
    }
  })
})

test.group('Media cluster (web side) against real sidecars', () => {
  test('a restarted sidecar gets its rooms re-created and the web side is told', async ({ assert }) => {
    let sidecar = await startSidecarProcess({ port: 4462, secret: SECRET })
    const cluster = new MediaCluster([sidecar.url], SECRET, new MemorySharedState())
    try {
      await cluster.start()
      await cluster.ensureRoom('s1:main')
      await sidecar.kill('SIGKILL')
      const recreated = until<string[]>(cluster, 'roomsRecreated')
      sidecar = await startSidecarProcess({ port: 4462, secret: SECRET })
      assert.include(await recreated, 's1:main')
      const rpc = await client(sidecar.url)
      assert.include((await rpc.call('room.list', {})).roomKeys, 's1:main')
      rpc.close()
    } finally {
      cluster.close()
      await sidecar.kill('SIGKILL')
    }
  })

  test('rooms are placed on the least-loaded sidecar and stay there', async ({ assert }) => {
    const a = await startSidecarProcess({ port: 4463, secret: SECRET })
    const b = await startSidecarProcess({ port: 4464, secret: SECRET })
    const cluster = new MediaCluster([a.url, b.url], SECRET, new MemorySharedState())
    try {
      await cluster.start()
      const first = await cluster.clientFor('room-1')
      await cluster.ensureRoom('room-1')
      /* The cluster has heard from the first sidecar that it now holds a room. */
      await eventually('the cluster knows room-1 is on its sidecar', () => (cluster.loads()[first.url]?.rooms ?? 0) >= 1)
      const second = await cluster.clientFor('room-2')
      assert.notEqual(second.url, first.url, 'the second room goes to the emptier sidecar')
      assert.equal((await cluster.clientFor('room-1')).url, first.url, 'placement is sticky')
    } finally {
      cluster.close()
      await Promise.all([a.kill('SIGKILL'), b.kill('SIGKILL')])
    }
  })
})
