import type { VineValidator } from '@vinejs/vine'
import { errors as vineErrors } from '@vinejs/vine'
import logger from '@adonisjs/core/services/logger'
import { RealtimeError } from '#app/realtime/realtime_error'
import { describePayloadProblem, findPayloadProblem } from '#app/core/payload_guard'
import type { Ack, ClientEventName, PayloadOf, ResultOf, SessionRole } from '#app/realtime/events'
import type { AulaSocket, SocketSession, SocketUser } from '#app/realtime/socket_types'

export interface HandlerContext<E extends ClientEventName, Scope extends 'session' | 'connection'> {
  payload: PayloadOf<E>
  user: SocketUser
  session: Scope extends 'session' ? SocketSession : SocketSession | null
  socket: AulaSocket
}

export interface HandlerDefinition<E extends ClientEventName, Scope extends 'session' | 'connection' = 'session'> {
  /** Vine validator for the payload; every event is validated before it is handled. */
  validator: VineValidator<any, any>
  /** 'session' (default): the socket must have joined a live class. */
  scope?: Scope
  /** Session roles allowed to send the event (default: everyone in the session). */
  roles?: SessionRole[]
  /** Largest accepted payload, as JSON bytes (default 8 KB). */
  maxBytes?: number
  /** Set by the plugin host: the event is refused while the plugin is disabled for the school. */
  pluginId?: string
  handle(context: HandlerContext<E, Scope>): Promise<ResultOf<E>> | ResultOf<E>
}

type AnyHandler = HandlerDefinition<any, any>
export interface RegisteredEvent {
  event: string
  scope: 'session' | 'connection'
  /** null: every participant of the class may send it. */
  roles: SessionRole[] | null
  pluginId: string | null
  /** The payload validator, so that a test can check the payloads it sends are otherwise valid. */
  validator: VineValidator<any, any>
}
export type PluginEnabledCheck = (schoolId: number, pluginId: string) => Promise<boolean>
/**
 * Told of every dispatched event: its name (`unknown` for names no handler is registered for, so the
 * set stays bounded), null when it succeeded or else the error code of its acknowledgement, and the
 * seconds from its arrival to its acknowledgement.
 */
export type DispatchObserver = (event: string, errorCode: string | null, seconds: number) => void

const DEFAULT_MAX_BYTES = 8 * 1024
const SOCKET_EVENTS_PER_SECOND = 40

/** Validates, authorises and dispatches every inbound socket event. */
export class Gateway {
  #handlers = new Map<string, AnyHandler>()
  #pluginEnabled: PluginEnabledCheck = async () => true
  #buckets = new WeakMap<AulaSocket, { windowStart: number; count: number }>()
  #observers: DispatchObserver[] = []

  /** Observes outcomes (metrics); an observer must be cheap and never throw. */
  observe(observer: DispatchObserver) {
    this.#observers.push(observer)
  }

  #outcome(event: string, errorCode: string | null, startedAt: number) {
    const seconds = (performance.now() - startedAt) / 1000
    const name = this.#handlers.has(event) ? event : 'unknown'
    for (const observer of this.#observers) observer(name, errorCode, seconds)
  }

  setPluginEnabledCheck(check: PluginEnabledCheck) {
    this.#pluginEnabled = check
  }

  on<E extends ClientEventName, Scope extends 'session' | 'connection' = 'session'>(
    event: E,
    definition: HandlerDefinition<E, Scope>
  ) {
    if (this.#handlers.has(event)) throw new Error(`Realtime event "${event}" is already registered`)
    this.#handlers.set(event, definition as AnyHandler)
  }

  has(event: string) {
    return this.#handlers.has(event)
  }

  /** Read-only list of the registered events and who may send them (used by the permission-matrix test). */
  describe(): RegisteredEvent[] {
    return [...this.#handlers].map(([event, definition]) => ({
      event,
      scope: definition.scope ?? 'session',
      roles: definition.roles ? [...definition.roles] : null,
      pluginId: definition.pluginId ?? null,
      validator: definition.validator,
    }))
  }

  async dispatch(socket: AulaSocket, event: string, args: unknown[]) {
    const startedAt = performance.now()
    const ack = typeof args[args.length - 1] === 'function' ? (args.pop() as (r: Ack) => void) : () => {}
    try {
      const data = await this.#run(socket, event, args[0])
      this.#outcome(event, null, startedAt)
      ack({ ok: true, data: data ?? null })
    } catch (error) {
      if (error instanceof RealtimeError) {
        this.#outcome(event, error.code, startedAt)
        ack({ ok: false, error: error.toBody() })
        return
      }
      this.#outcome(event, 'internal', startedAt)
      logger.error({ err: error, event }, 'realtime handler failed')
      ack({ ok: false, error: { code: 'internal', message: 'The server could not handle this event' } })
    }
  }

  async #run(socket: AulaSocket, event: string, payload: unknown) {
    this.#rateLimit(socket)
    const definition = this.#handlers.get(event)
    if (!definition) throw new RealtimeError('unknown_event', `Unknown event "${event}"`)

    // Before any other work: a prototype key or a 10,000-deep payload is invalid, never `internal`.
    const problem = findPayloadProblem(payload)
    if (problem) throw new RealtimeError('invalid', describePayloadProblem(problem))

    const size = Buffer.byteLength(JSON.stringify(payload ?? null) ?? '')
    const maxBytes = definition.maxBytes ?? DEFAULT_MAX_BYTES
    if (size > maxBytes) throw new RealtimeError('too_large', `Payload of ${size} bytes exceeds ${maxBytes} bytes`)

    const session = socket.data.session
    const scope = definition.scope ?? 'session'
    if (scope === 'session' && !session) throw new RealtimeError('not_in_session', 'Join a live class first')
    if (definition.roles && (!session || !definition.roles.includes(session.role))) {
      throw new RealtimeError('forbidden', `Only ${definition.roles.join(' or ')} may send "${event}"`)
    }
    if (definition.pluginId && !(await this.#pluginEnabled(socket.data.user.schoolId, definition.pluginId))) {
      throw new RealtimeError('plugin_disabled', `The ${definition.pluginId} plugin is disabled for your school`)
    }

    let validated: unknown
    try {
      validated = await definition.validator.validate(payload ?? {})
    } catch (error) {
      if (error instanceof vineErrors.E_VALIDATION_ERROR) {
        throw new RealtimeError('invalid', 'Invalid payload', error.messages)
      }
      throw error
    }

    return definition.handle({ payload: validated, user: socket.data.user, session, socket } as any)
  }

  #rateLimit(socket: AulaSocket) {
    const now = Date.now()
    const bucket = this.#buckets.get(socket) ?? { windowStart: now, count: 0 }
    if (now - bucket.windowStart >= 1000) {
      bucket.windowStart = now
      bucket.count = 0
    }
    bucket.count++
    this.#buckets.set(socket, bucket)
    if (bucket.count > SOCKET_EVENTS_PER_SECOND) {
      throw new RealtimeError('rate_limited', 'Too many events, slow down')
    }
  }
}
