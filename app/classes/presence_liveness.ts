import { hostname } from 'node:os'
import { randomBytes } from 'node:crypto'
import { DateTime } from 'luxon'
import logger from '@adonisjs/core/services/logger'
import ClassSession from '#app/classes/models/class_session'
import { announceLeft, isUserConnected } from '#app/classes/presence'
import { participantLeft } from '#app/classes/services/class_lifecycle'
import { rooms } from '#app/realtime/rooms'
import type { SessionRole } from '#app/realtime/events'
import type { RealtimeServer } from '#app/realtime/realtime_server'

/*
| A web process that dies (SIGKILL, out of memory, host lost) runs no disconnect handlers: its class
| members would stay present in everyone's lists and in attendance until the class ends. With Redis
| (several processes), each process writes a heartbeat and the classes its users are in; the others
| notice a heartbeat that stopped, and one of them (the first to claim it) records those users as
| left at the dead process's last heartbeat, unless they are connected again elsewhere by then.
| In-process mode has nothing to do: a dead process takes every client with it.
*/
export const LIVENESS = { beatMs: 5_000, deadAfterMs: 15_000, forgetAfterMs: 10 * 60_000 }

const PROCESSES = 'liveness:processes'
const membersKey = (processId: string) => `liveness:members:${processId}`
const claimKey = (processId: string) => `liveness:claim:${processId}`
const memberField = (sessionId: number, userId: number) => `${sessionId}:${userId}`

export class PresenceLiveness {
  readonly processId = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`
  #timer: NodeJS.Timeout | null = null
  #sweeping = false
  /** What this process wrote to its members hash, by class (to tidy up after a class ends). */
  #written = new Map<number, Set<number>>()

  constructor(private realtime: RealtimeServer) {}

  get enabled() {
    return this.realtime.usesRedis
  }

  start() {
    if (!this.enabled || this.#timer) return
    void this.#tick()
    this.#timer = setInterval(() => void this.#tick(), LIVENESS.beatMs)
    this.#timer.unref()
  }

  /** A user of this process joined a class. */
  async joined(sessionId: number, userId: number, role: SessionRole) {
    if (!this.enabled) return
    await this.realtime.state.hset(membersKey(this.processId), memberField(sessionId, userId), role)
    if (!this.#written.has(sessionId)) this.#written.set(sessionId, new Set())
    this.#written.get(sessionId)!.add(userId)
  }

  /** A socket of this process left a class: forget the user here once no local socket of theirs is in it. */
  async left(sessionId: number, userId: number) {
    if (!this.enabled || !this.realtime.attached) return
    if (this.#localSockets(rooms.sessionUser(sessionId, userId)) > 0) return
    await this.#forget(sessionId, userId)
  }

  #localSockets(room: string) {
    return this.realtime.io.of('/').adapter.rooms.get(room)?.size ?? 0
  }

  async #forget(sessionId: number, userId: number) {
    await this.realtime.state.hdel(membersKey(this.processId), memberField(sessionId, userId))
    const users = this.#written.get(sessionId)
    users?.delete(userId)
    if (users?.size === 0) this.#written.delete(sessionId)
  }

  /** A class that ended took its sockets out without a leave each: forget its members here. */
  async #tidy() {
    for (const [sessionId, users] of [...this.#written]) {
      if (this.#localSockets(rooms.session(sessionId)) > 0) continue
      for (const userId of [...users]) await this.#forget(sessionId, userId)
    }
  }

  async #tick() {
    // Closed (shutdown): no more heartbeats, so the others sweep what is left.
    if (!this.realtime.attached) return
    try {
      await this.realtime.state.hset(PROCESSES, this.processId, String(Date.now()))
      await this.#tidy()
      if (!this.#sweeping) {
        this.#sweeping = true
        await this.sweep().finally(() => (this.#sweeping = false))
      }
    } catch (error) {
      logger.warn({ err: error }, 'presence liveness: heartbeat or sweep failed')
    }
  }

  /** Records the members of processes whose heartbeat stopped as left. Returns how many were recorded. */
  async sweep(now = Date.now()) {
    let recorded = 0
    for (const [processId, beat] of Object.entries(await this.realtime.state.hgetall(PROCESSES))) {
      const lastBeat = Number(beat)
      if (processId === this.processId || now - lastBeat < LIVENESS.deadAfterMs) continue
      // One survivor handles a dead process; the claim outlives the work.
      if ((await this.realtime.state.incr(claimKey(processId), LIVENESS.forgetAfterMs)) !== 1) continue
      // A heartbeat older than that belongs to an earlier deployment or test run: forget it unread.
      if (now - lastBeat < LIVENESS.forgetAfterMs) recorded += await this.#recordLeaves(processId, lastBeat)
      await this.realtime.state.del(membersKey(processId))
      await this.realtime.state.hdel(PROCESSES, processId)
    }
    return recorded
  }

  async #recordLeaves(processId: string, lastBeat: number) {
    let recorded = 0
    const at = DateTime.fromMillis(lastBeat) as DateTime<true>
    for (const [field, role] of Object.entries(await this.realtime.state.hgetall(membersKey(processId)))) {
      const [sessionId, userId] = field.split(':').map(Number)
      if (await isUserConnected(this.realtime, sessionId, userId)) continue
      const session = await ClassSession.find(sessionId)
      if (!session || session.status !== 'live') continue
      await participantLeft(session, userId, role as SessionRole, at)
      await announceLeft(this.realtime, sessionId, userId)
      recorded++
    }
    return recorded
  }
}
