import client from 'prom-client'
import db from '@adonisjs/lucid/services/db'
import logger from '@adonisjs/core/services/logger'
import type { RealtimeServer } from '#app/realtime/realtime_server'
import type { MediaCluster } from '#app/media/media_cluster'

/*
| Prometheus metrics of one web process (prom-client, own registry). Per-process figures
| (connections, events, errors, sidecars as this process sees them, Node process metrics) carry no
| process label: Prometheus adds `instance` per scraped target. Cluster-wide figures read from the
| database (live classes, mail outbox, recording queue) are the same on every process.
*/
const EVENT_WINDOW_S = 10

export class AulaMetrics {
  readonly registry = new client.Registry()
  readonly events: client.Counter<'outcome'>
  readonly errors: client.Counter<'code'>
  readonly durations: client.Histogram<'event'>
  /** Inbound events per second over the last EVENT_WINDOW_S seconds (one bucket per second). */
  #buckets = new Array<number>(EVENT_WINDOW_S).fill(0)
  #bucketSecond = Math.floor(Date.now() / 1000)

  constructor(realtime: RealtimeServer, media: () => MediaCluster | null) {
    const registry = this.registry
    client.collectDefaultMetrics({ register: registry, prefix: 'aula_' })

    new client.Gauge({
      name: 'aula_realtime_connections',
      help: 'socket.io clients connected to this process',
      registers: [registry],
      collect() {
        this.set(realtime.localConnections)
      },
    })
    this.events = new client.Counter({
      name: 'aula_realtime_events_total',
      help: 'Inbound socket events handled by this process, by outcome (ok or error)',
      labelNames: ['outcome'],
      registers: [registry],
    })
    this.errors = new client.Counter({
      name: 'aula_realtime_errors_total',
      help: 'Inbound socket events refused or failed, by error code (internal: a handler crashed)',
      labelNames: ['code'],
      registers: [registry],
    })
    this.durations = new client.Histogram({
      name: 'aula_realtime_event_duration_seconds',
      help: 'Seconds from an inbound socket event to its acknowledgement, by event (unknown: not a registered event)',
      labelNames: ['event'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    })
    const self = this
    new client.Gauge({
      name: 'aula_realtime_events_per_second',
      help: `Inbound socket events per second on this process, mean over the last ${EVENT_WINDOW_S} s`,
      registers: [registry],
      collect() {
        this.set(self.eventsPerSecond())
      },
    })

    const sidecarUp = new client.Gauge({
      name: 'aula_sidecar_up',
      help: 'Whether this process is connected to the media sidecar (1) or not (0)',
      labelNames: ['sidecar'],
      registers: [registry],
    })
    const sidecarLoad = new client.Gauge({
      name: 'aula_sidecar_load',
      help: 'Latest load report of each connected media sidecar (cpu: mean worker CPU share 0..1)',
      labelNames: ['sidecar', 'measure'],
      registers: [registry],
      collect() {
        const cluster = media()
        this.reset()
        sidecarUp.reset()
        if (!cluster) return
        for (const c of cluster.clients) sidecarUp.set({ sidecar: c.url }, c.ready ? 1 : 0)
        for (const [url, load] of Object.entries(cluster.loads())) {
          for (const measure of ['cpu', 'rooms', 'transports', 'producers', 'consumers'] as const) {
            this.set({ sidecar: url, measure }, load[measure])
          }
        }
      },
    })
    void sidecarLoad

    new client.Gauge({
      name: 'aula_live_classes',
      help: 'Classes live right now (whole deployment)',
      registers: [registry],
      async collect() {
        const row = await db.from('class_sessions').where('status', 'live').count('* as total').first()
        this.set(Number(row?.total ?? 0))
      },
    })
    new client.Gauge({
      name: 'aula_mail_outbox_messages',
      help: 'Messages in the mail outbox by status (pending: waiting to go out)',
      labelNames: ['status'],
      registers: [registry],
      async collect() {
        const rows = await db.from('mail_outbox').select('status').count('* as total').groupBy('status')
        this.reset()
        for (const status of ['pending', 'sent', 'failed']) this.set({ status }, 0)
        for (const row of rows) this.set({ status: row.status }, Number(row.total))
      },
    })
    new client.Gauge({
      name: 'aula_recording_queue',
      help: 'Class recordings by state (recording, processing: waiting for or in assembly; failed)',
      labelNames: ['state'],
      registers: [registry],
      async collect() {
        this.reset()
        try {
          const rows = await db.from('recordings').whereIn('state', ['recording', 'processing', 'failed']).select('state').count('* as total').groupBy('state')
          for (const state of ['recording', 'processing', 'failed']) this.set({ state }, 0)
          for (const row of rows) this.set({ state: row.state }, Number(row.total))
        } catch (error) {
          // The recording plugin's table is absent when the plugin is not installed.
          logger.debug({ err: error }, 'recording queue metric unavailable')
        }
      },
    })

    realtime.gateway.observe((event, errorCode, seconds) => {
      this.#count(errorCode)
      this.durations.observe({ event }, seconds)
    })
  }

  #count(errorCode: string | null) {
    this.#advance()
    this.#buckets[this.#bucketSecond % EVENT_WINDOW_S]++
    if (errorCode === null) {
      this.events.inc({ outcome: 'ok' })
    } else {
      this.events.inc({ outcome: 'error' })
      this.errors.inc({ code: errorCode })
    }
  }

  /** Zeroes the buckets of the seconds that passed without events. */
  #advance() {
    const now = Math.floor(Date.now() / 1000)
    const steps = Math.min(now - this.#bucketSecond, EVENT_WINDOW_S)
    for (let i = 1; i <= steps; i++) this.#buckets[(this.#bucketSecond + i) % EVENT_WINDOW_S] = 0
    if (now > this.#bucketSecond) this.#bucketSecond = now
  }

  eventsPerSecond() {
    this.#advance()
    return this.#buckets.reduce((sum, n) => sum + n, 0) / EVENT_WINDOW_S
  }

  render() {
    return this.registry.metrics()
  }

  get contentType() {
    return this.registry.contentType
  }
}
