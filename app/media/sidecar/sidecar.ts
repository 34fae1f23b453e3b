import { randomUUID } from 'node:crypto'
import { WorkerPool } from '#app/media/sidecar/worker_pool'
import { MediaRooms } from '#app/media/sidecar/media_rooms'
import { RpcServer } from '#app/media/sidecar/rpc_server'
import type { SidecarConfig } from '#app/media/sidecar/config'

/** Starts a media sidecar: mediasoup workers behind the authenticated RPC server. */
export async function startSidecar(config: SidecarConfig, log: (message: string) => void = console.log) {
  const pool = new WorkerPool(config)
  await pool.start()
  const server = new RpcServer(config.secret)
  const rooms = new MediaRooms(pool, config, (event, data) => server.broadcast(event, data), randomUUID())
  server.rooms = rooms
  await server.listen(config.host, config.port)

  const reporter = setInterval(async () => {
    await pool.sampleCpu().catch(() => {})
    server.broadcast('load.report', rooms.loadReport())
  }, config.loadReportMs)

  log(`media sidecar ${rooms.sidecarId} listening on tcp://${config.host}:${config.port} with ${config.workers} worker(s)`)
  return {
    rooms,
    pool,
    async stop() {
      clearInterval(reporter)
      await server.close()
      pool.close()
    },
  }
}
