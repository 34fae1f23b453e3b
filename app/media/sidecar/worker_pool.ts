import * as mediasoup from 'mediasoup'
import type { types } from 'mediasoup'
import type { SidecarConfig } from '#app/media/sidecar/config'

export interface PooledWorker {
  worker: types.Worker
  routers: number
  lastCpuMs: number
  lastSampleAt: number
  cpu: number
}

/** One mediasoup worker per core; dead workers are replaced and reported. */
export class WorkerPool {
  workers: PooledWorker[] = []
  onDied: (dead: PooledWorker, replacement: PooledWorker) => void = () => {}

  constructor(private config: SidecarConfig) {}

  async start() {
    for (let i = 0; i < this.config.workers; i++) this.workers.push(await this.#spawn())
  }

  async #spawn(): Promise<PooledWorker> {
    const worker = await mediasoup.createWorker({
      logLevel: 'warn',
      rtcMinPort: this.config.rtcMinPort,
      rtcMaxPort: this.config.rtcMaxPort,
    })
    const usage = await worker.getResourceUsage()
    /* Start the CPU baseline now, so start-up work does not count as load. */
    const pooled: PooledWorker = { worker, routers: 0, lastCpuMs: usage.ru_utime + usage.ru_stime, lastSampleAt: Date.now(), cpu: 0 }
    worker.once('died', async () => {
      const replacement = await this.#spawn()
      this.workers = this.workers.map((w) => (w === pooled ? replacement : w))
      this.onDied(pooled, replacement)
    })
    return pooled
  }

  /** The worker with the lowest recent CPU, then the fewest routers. */
  leastLoaded() {
    return [...this.workers].sort((a, b) => a.cpu - b.cpu || a.routers - b.routers)[0]
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
    for (const pooled of this.workers) pooled.worker.close()
  }
}
