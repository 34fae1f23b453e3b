import * as mediasoup from 'mediasoup'
import type { types } from 'mediasoup'
import type { SidecarConfig } from '#app/media/sidecar/config'

export interface PooledWorker {
  worker: types.Worker
  /** One-port mode: the worker's single UDP + TCP listener that all its WebRTC transports share. */
  webRtcServer: types.WebRtcServer | null
  /** Position in the pool (a replacement keeps it, and so its one-port listener's port). */
  index: number
  routers: number
  lastCpuMs: number
  lastSampleAt: number
  /** Share of one core over the last sample period, 0..1. */
  cpu: number
}

const RESPAWN_RETRY_MS = 1000

/** One mediasoup worker per core (MEDIA_WORKERS); a dead worker is replaced and reported through onDied. */
export class WorkerPool {
  workers: PooledWorker[] = []
  onDied: (dead: PooledWorker, replacement: PooledWorker) => void | Promise<void> = () => {}
  #closed = false

  constructor(
    private config: SidecarConfig,
    private log: (message: string) => void = console.log
  ) {}

  async start() {
    for (let i = 0; i < this.config.workers; i++) this.workers.push(await this.#spawn(i))
  }

  async #spawn(index: number): Promise<PooledWorker> {
    const worker = await mediasoup.createWorker({
      logLevel: 'warn',
      rtcMinPort: this.config.rtcMinPort,
      rtcMaxPort: this.config.rtcMaxPort,
    })
    let webRtcServer: types.WebRtcServer | null = null
    if (this.config.webRtcPort !== null) {
      const port = this.config.webRtcPort + index
      const listen = { ip: this.config.listenIp, announcedIp: this.config.announcedIp, port }
      try {
        webRtcServer = await worker.createWebRtcServer({
          listenInfos: [
            { protocol: 'udp', ...listen },
            { protocol: 'tcp', ...listen },
          ],
        })
      } catch (error) {
        worker.close()
        throw new Error(`worker ${index}: cannot listen on UDP/TCP ${this.config.listenIp}:${port}: ${(error as Error).message}`)
      }
    }
    const usage = await worker.getResourceUsage()
    /* The CPU baseline starts now, so start-up work does not count as load. */
    const pooled: PooledWorker = {
      worker,
      webRtcServer,
      index,
      routers: 0,
      lastCpuMs: usage.ru_utime + usage.ru_stime,
      lastSampleAt: Date.now(),
      cpu: 0,
    }
    worker.once('died', (error) => {
      this.log(`mediasoup worker ${worker.pid} died (${error?.message ?? 'unknown reason'}); replacing it`)
      void this.#replace(pooled)
    })
    return pooled
  }

  async #replace(dead: PooledWorker) {
    while (!this.#closed) {
      try {
        const replacement = await this.#spawn(dead.index)
        this.workers = this.workers.map((w) => (w === dead ? replacement : w))
        await this.onDied(dead, replacement)
        return
      } catch (error) {
        this.log(`could not start a mediasoup worker: ${(error as Error).message}; retrying`)
        await new Promise((resolve) => setTimeout(resolve, RESPAWN_RETRY_MS))
      }
    }
  }

  /** The live worker with the lowest recent CPU, then the fewest routers. */
  leastLoaded() {
    const live = this.workers.filter((w) => !w.worker.closed)
    if (!live.length) throw new Error('No mediasoup worker is running')
    return live.sort((a, b) => a.cpu - b.cpu || a.routers - b.routers)[0]
  }

  async sampleCpu() {
    for (const pooled of this.workers) {
      if (pooled.worker.closed) continue
      const usage = await pooled.worker.getResourceUsage()
      const cpuMs = usage.ru_utime + usage.ru_stime
      const now = Date.now()
      pooled.cpu = Math.max(0, Math.min(1, (cpuMs - pooled.lastCpuMs) / Math.max(1, now - pooled.lastSampleAt)))
      pooled.lastCpuMs = cpuMs
      pooled.lastSampleAt = now
    }
  }

  close() {
    this.#closed = true
    for (const pooled of this.workers) pooled.worker.close()
  }
}
