import { randomUUID } from 'node:crypto'
import { join } from 'node:path'
import { WorkerPool } from '#app/media/sidecar/worker_pool'
import { MediaRooms } from '#app/media/sidecar/media_rooms'
import { RpcServer } from '#app/media/sidecar/rpc_server'
import type { SidecarConfig } from '#app/media/sidecar/config'
import { Recordings } from '#app/media/sidecar/recording/recordings'
import { WorkerTriggers } from '#app/media/sidecar/hls/worker_triggers'
import { HlsHandlers } from '#app/media/sidecar/hls/hls_handlers'
import { diskFromSettings, storageSettingsFromEnv } from '#app/storage/storage_env'

/** Starts a media sidecar: mediasoup workers behind the authenticated RPC server, with periodic load reports. */
export async function startSidecar(config: SidecarConfig, log: (message: string) => void = console.log) {
  const pool = new WorkerPool(config, log)
  try {
    await pool.start()
  } catch (error) {
    pool.close()
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error(
        `mediasoup worker binary not found (MEDIASOUP_WORKER_BIN=${process.env.MEDIASOUP_WORKER_BIN ?? 'unset'}); ` +
          'run bin/setup/mediasoup_worker.sh and export MEDIASOUP_WORKER_BIN'
      )
    }
    throw error
  }
  const server = new RpcServer(config.secret)
  const rooms = new MediaRooms(pool, config, (event, data) => server.broadcast(event, data), randomUUID())
  server.rooms = rooms
  const recordings = new Recordings(
    config.recordingSpool,
    await diskFromSettings(storageSettingsFromEnv()),
    (roomKey) => rooms.recordingView(roomKey),
    log,
    config.testMethods
  )
  server.recordings = recordings
  const triggers = new WorkerTriggers()
  server.hls = new HlsHandlers(triggers, (roomKey) => rooms.workerOf(roomKey), join(config.recordingSpool, 'hls'), config.testMethods)
  rooms.beforeRoomClose = (roomKey) => recordings.stopRoom(roomKey)
  await recordings.start()
  try {
    await server.listen(config.host, config.port)
  } catch (error) {
    pool.close()
    throw error
  }

  let sampling = false
  const reporter = setInterval(async () => {
    if (sampling) return
    sampling = true
    await pool.sampleCpu().catch(() => {})
    triggers.record(pool.workers.map((w) => ({ index: w.index, cpu: w.cpu })))
    sampling = false
    server.broadcast('load.report', rooms.loadReport())
  }, config.loadReportMs)

  const pids = pool.workers.map((w) => w.worker.pid).join(',')
  log(
    `media sidecar ${rooms.sidecarId} listening on tcp://${config.host}:${config.port} with ${config.workers} worker(s) [pids ${pids}], ` +
      `RTC ${config.listenIp}${config.announcedIp ? ` (announced ${config.announcedIp})` : ''} ports ${config.rtcMinPort}-${config.rtcMaxPort}`
  )
  return {
    config,
    rooms,
    pool,
    recordings,
    triggers,
    async stop() {
      clearInterval(reporter)
      await recordings.stopAll()
      await server.close()
      pool.close()
    },
  }
}
