import type { Server as HttpServer } from 'node:http'
import { Server } from 'socket.io'
import { createAdapter, createShardedAdapter } from '@socket.io/redis-adapter'
import { createAdapter as createStreamsAdapter } from '@socket.io/redis-streams-adapter'
import type { Redis } from 'ioredis'
import logger from '@adonisjs/core/services/logger'
import { Gateway } from '#app/realtime/gateway'
import { rooms } from '#app/realtime/rooms'
import { MemorySharedState, RedisSharedState, type SharedState } from '#app/realtime/shared_state'
import { openRedis } from '#app/realtime/redis_connection'
import { userFromCookieHeader } from '#app/realtime/socket_auth'
import { originAllowed } from '#app/realtime/origin_check'
import type { AulaServer, AulaSocket } from '#app/realtime/socket_types'
import type { ServerEventName, ServerEvents } from '#app/realtime/events'

export interface RealtimeOptions {
  redisUrl?: string
  redisPrefix: string
  /**
   * engine.io heartbeat. A client that vanishes without a goodbye (network gone, laptop lid shut)
   * is noticed within pingInterval + pingTimeout: 5 s + 8 s = 13 s by default (socket.io's own
   * 25 s + 20 s took up to 45 s). Attendance relies on this to mark a student gone within 15 s.
   */
  pingIntervalMs?: number
  pingTimeoutMs?: number
  /** Browser origins allowed besides the request's own host (ALLOWED_ORIGINS, APP_URL). */
  allowedOrigins?: Set<string>
  /**
   * socket.io adapter with Redis (REALTIME_ADAPTER): 'redis' (default, classic pub/sub),
   * 'redis-sharded' (sharded pub/sub, Redis 7: one channel per room, a process only receives the
   * rooms it has members in), 'redis-streams' (one Redis stream: packets survive a Redis restart).
   */
  adapter?: RealtimeAdapterKind
}

export const REALTIME_ADAPTERS = ['redis', 'redis-sharded', 'redis-streams'] as const
export type RealtimeAdapterKind = (typeof REALTIME_ADAPTERS)[number]

type ConnectionListener = (socket: AulaSocket) => void
type DisconnectListener = (socket: AulaSocket) => void | Promise<void>

/**
 * socket.io on the AdonisJS HTTP server. One instance per process; rooms are
 * shared across processes through the Redis adapter when REDIS_URL is set.
 */
export class RealtimeServer {
  readonly gateway = new Gateway()
  readonly state: SharedState
  #io: AulaServer | null = null
  #redis: Redis[] = []
  #onConnect: ConnectionListener[] = []
  #onDisconnect: DisconnectListener[] = []
  #onAttach: ((io: AulaServer) => void)[] = []
  #onDisconnecting: DisconnectListener[] = []
  /** Disconnect listeners still running (awaited at shutdown). */
  #inflight = new Set<Promise<void>>()

  constructor(private options: RealtimeOptions) {
    if (options.redisUrl) {
      const client = openRedis(options.redisUrl, 'state')
      this.#redis.push(client)
      this.state = new RedisSharedState(client, options.redisPrefix)
    } else {
      this.state = new MemorySharedState()
    }
  }

  get usesRedis() {
    return Boolean(this.options.redisUrl)
  }

  /** Sockets connected to this process (0 before attach). */
  get localConnections() {
    return this.#io?.engine.clientsCount ?? 0
  }

  /**
   * Readiness of this process's Redis connections (state, adapter pub/sub): each must be connected
   * and answer PING within `timeoutMs`. Null without Redis.
   */
  async redisHealth(timeoutMs = 1000): Promise<{ ok: boolean; error?: string } | null> {
    if (!this.options.redisUrl) return null
    for (const client of this.#redis) {
      if (client.status !== 'ready') return { ok: false, error: `${client.options.connectionName}: ${client.status}` }
    }
    // The state connection answers commands; pub/sub connections only accept (P)SUBSCRIBE and PING.
    const state = this.#redis[0]
    let timer: NodeJS.Timeout | undefined
    try {
      await Promise.race([
        state.ping(),
        new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`no PONG within ${timeoutMs} ms`)), timeoutMs))),
      ])
      return { ok: true }
    } catch (error) {
      return { ok: false, error: (error as Error).message }
    } finally {
      clearTimeout(timer)
    }
  }

  get io(): AulaServer {
    if (!this.#io) throw new Error('Realtime server is not attached to the HTTP server yet')
    return this.#io
  }

  get attached() {
    return this.#io !== null
  }

  onConnection(listener: ConnectionListener) {
    this.#onConnect.push(listener)
  }

  onDisconnect(listener: DisconnectListener) {
    this.#onDisconnect.push(listener)
  }

  /** Runs while a socket is disconnecting, before it leaves its class (its session data is still set). */
  onDisconnecting(listener: DisconnectListener) {
    this.#onDisconnecting.push(listener)
  }

  /** Runs once socket.io is attached (e.g. to listen for server-side events from other processes). */
  onAttach(listener: (io: AulaServer) => void) {
    this.#onAttach.push(listener)
    if (this.#io) listener(this.#io)
  }

  attach(httpServer: HttpServer) {
    if (this.#io) return this.#io
    const io: AulaServer = new Server(httpServer, {
      serveClient: false,
      maxHttpBufferSize: 1_000_000,
      pingInterval: this.options.pingIntervalMs ?? 5_000,
      pingTimeout: this.options.pingTimeoutMs ?? 8_000,
      connectionStateRecovery: undefined,
    })
    if (this.options.redisUrl) {
      const kind = this.options.adapter ?? 'redis'
      const key = `${this.options.redisPrefix}socket.io`
      if (kind === 'redis-streams') {
        // The adapter duplicates this connection for its blocking reads and closes them with io.close().
        const client = openRedis(this.options.redisUrl, 'socket.io-streams')
        this.#redis.push(client)
        io.adapter(createStreamsAdapter(client, { streamName: key, maxLen: 100_000 }))
      } else {
        const pub = openRedis(this.options.redisUrl, 'socket.io-pub')
        const sub = openRedis(this.options.redisUrl, 'socket.io-sub')
        this.#redis.push(pub, sub)
        io.adapter(
          kind === 'redis-sharded'
            ? createShardedAdapter(pub, sub, { channelPrefix: key, subscriptionMode: 'dynamic' })
            : createAdapter(pub, sub, { key, requestsTimeout: 3000 })
        )
      }
    }

    io.use((socket, next) => {
      if (originAllowed(socket.request, this.options.allowedOrigins ?? new Set())) return next()
      logger.warn({ origin: socket.request.headers.origin }, 'socket handshake from a foreign origin refused')
      next(new Error('origin_not_allowed'))
    })

    io.use(async (socket, next) => {
      try {
        const user = await userFromCookieHeader(socket.handshake.headers.cookie)
        if (!user) return next(new Error('unauthenticated'))
        socket.data.user = user
        socket.data.session = null
        next()
      } catch (error) {
        logger.warn({ err: error }, 'socket handshake failed')
        next(new Error('unauthenticated'))
      }
    })

    io.on('connection', (socket) => {
      socket.join([rooms.user(socket.data.user.id), rooms.school(socket.data.user.schoolId)])
      socket.onAny((event: string, ...args: unknown[]) => this.gateway.dispatch(socket, event, args))
      socket.on('disconnecting', () => this.#track(this.#notify(this.#onDisconnecting, socket, 'disconnecting')))
      socket.on('disconnect', () => this.#track(this.#notify(this.#onDisconnect, socket, 'disconnect')))
      for (const listener of this.#onConnect) listener(socket)
    })

    this.#io = io
    for (const listener of this.#onAttach) listener(io)
    return io
  }

  async #notify(listeners: DisconnectListener[], socket: AulaSocket, what: string) {
    for (const listener of listeners) {
      try {
        await listener(socket)
      } catch (error) {
        logger.error({ err: error }, `realtime ${what} listener failed`)
      }
    }
  }

  #track(work: Promise<void>) {
    this.#inflight.add(work)
    void work.finally(() => this.#inflight.delete(work))
  }

  /**
   * Disconnects this process's clients (they reconnect to another process or when this one is
   * back) and waits, at most `waitMs`, for their disconnect listeners to finish. Redis stays open.
   */
  async disconnectLocalClients(waitMs = 3000) {
    const io = this.#io
    if (!io) return
    io.local.disconnectSockets(true)
    await Promise.race([Promise.allSettled([...this.#inflight]), new Promise((resolve) => setTimeout(resolve, waitMs).unref())])
  }

  /** Resolves when the disconnect listeners running now have finished (a test proving what a leave did not do). */
  async disconnectsSettled() {
    await Promise.allSettled([...this.#inflight])
  }

  /** Emits to socket.io rooms on every process; `except` leaves out a room (e.g. the sender's socket id). */
  to(room: string | string[], except?: string) {
    const io = this.#io
    return {
      emit<E extends ServerEventName>(event: E, payload: ServerEvents[E]) {
        const target = except ? io?.to(room).except(except) : io?.to(room)
        target?.emit(event, ...([payload] as any))
      },
    }
  }

  async close() {
    const io = this.#io
    this.#io = null
    if (io) {
      // Only this process's clients: with the Redis adapter, io.disconnectSockets() reaches every process.
      io.local.disconnectSockets(true)
      await new Promise<void>((resolve) => {
        io.close(() => resolve())
        setTimeout(resolve, 1000)
      })
    }
    await Promise.all(this.#redis.map((client) => client.quit().catch(() => client.disconnect())))
    this.#redis = []
  }
}
