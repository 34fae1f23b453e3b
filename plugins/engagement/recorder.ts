import { randomUUID } from 'node:crypto'
import { hostname } from 'node:os'
import type { ActivitySignalEvent, PluginHost } from '#app/plugins/api'
import { emptyClassContribution, emptyContribution, toggle, type ClassContribution, type Contribution } from './aggregate.js'
import { groupContributions, type ClassContributions } from './scoring.js'
import { writeContributions, type ContributionRow } from './store.js'

export type RecorderHost = Pick<PluginHost, 'state' | 'directory' | 'classes' | 'logger' | 'settings'>

interface ClassMemory {
  /** Names this process's contribution; a new one after the memory of a class was dropped (versions restart). */
  contributor: string
  students: Map<number, Contribution>
  cls: ClassContribution
}

const liveKey = (sessionId: number) => `c:${sessionId}`
const DIRTY = 'dirty'
/** How long an ended class's live state stays in shared state after its last write (late attendance overrides). */
const KEEP_ENDED_MS = 60_000

/*
| Records activity signals per student and class.
| - Hot path: the signal updates this process's in-memory contribution and mirrors it whole to shared
|   state (Redis with several processes): no database write per signal.
| - Durable: every `flushMs` each process writes the contributions that changed in shared state to
|   engagement_contributions (version-guarded), its own and those of processes that died.
| - Graceful stop: onShutdown flushes. A killed process loses nothing that reached Redis.
*/
export class Recorder {
  readonly contributor = `${hostname().slice(0, 24)}:${process.pid}:${randomUUID().slice(0, 8)}`
  #classes = new Map<number, ClassMemory>()
  #enrolled = new Map<number, { at: number; ids: Promise<Set<number>> }>()
  #written = new Map<string, number>()
  /** The raw entry last written per class|user|contributor: a flush parses only the entries that changed. */
  #writtenRaw = new Map<string, string>()
  #info = new Map<number, { at: number; info: Awaited<ReturnType<RecorderHost['classes']['get']>> }>()
  /** Called after a flush wrote rows of an ended class (its stored scores are recomputed). */
  onEndedClassWritten: (sessionId: number, schoolId: number) => Promise<void> = async () => {}

  constructor(private host: RecorderHost) {}

  #memory(sessionId: number) {
    let memory = this.#classes.get(sessionId)
    if (!memory) {
      const contributor = `${this.contributor}:${randomUUID().slice(0, 6)}`
      this.#classes.set(sessionId, (memory = { contributor, students: new Map(), cls: emptyClassContribution() }))
    }
    return memory
  }

  /** Enrolled students of the class's course (cached a minute): signals about anyone else are ignored. */
  async isStudent(ref: { sessionId: number; schoolId: number; courseId: number }, userId: number) {
    return (await this.students(ref)).has(userId)
  }

  students(ref: { sessionId: number; schoolId: number; courseId: number }): Promise<Set<number>> {
    let hit = this.#enrolled.get(ref.sessionId)
    if (!hit || Date.now() - hit.at > 60_000) {
      const ids = this.host.directory
        .enrolments(ref.schoolId, { courseIds: [ref.courseId] })
        .then((rows) => new Set(rows.map((r) => r.studentId)))
      this.#enrolled.set(ref.sessionId, (hit = { at: Date.now(), ids }))
    }
    return hit.ids
  }

  /**
   * Whether the school has engagement switched on: a school that switched it off has nothing recorded
   * (privacy). The host's per-process cache (2 s), dropped when the admin toggles a plugin.
   */
  enabledFor(schoolId: number) {
    return this.host.settings.isEnabled(schoolId)
  }

  async record(signal: ActivitySignalEvent) {
    if (!(await this.enabledFor(signal.schoolId))) return
    const at = Date.parse(signal.at) || Date.now()
    const memory = this.#memory(signal.sessionId)
    if (signal.kind === 'quiz_opened' || signal.kind === 'quiz_closed') {
      const list = signal.kind === 'quiz_opened' ? memory.cls.opened : memory.cls.closed
      if (list.includes(signal.questionKey)) return
      list.push(signal.questionKey)
      memory.cls.v++
      return this.#mirror(signal.sessionId, memory, 0, memory.cls)
    }
    if (!(await this.isStudent(signal, signal.userId))) return
    const c = memory.students.get(signal.userId) ?? emptyContribution()
    memory.students.set(signal.userId, c)
    switch (signal.kind) {
      case 'camera':
        toggle(c, 'cam', signal.on, at)
        break
      case 'quiz_answered':
        if (signal.questionKey in c.answers) return
        c.answers[signal.questionKey] = Math.max(0, signal.responseMs)
        break
      case 'chat_message':
        c.chat++
        break
      case 'whiteboard_edit':
        c.wb += Math.max(0, signal.count)
        break
      case 'attendance':
        if (c.att && c.att.at > at) return
        c.att = { activeMs: signal.activeMs, classMs: signal.classMs, presentMs: signal.presentMs, status: signal.status, at }
        break
    }
    c.v++
    await this.#mirror(signal.sessionId, memory, signal.userId, c)
  }

  /** A student joined or left the class (lifecycle events): the time present, for the camera share. */
  async presence(ref: { sessionId: number; schoolId: number; courseId: number }, userId: number, on: boolean, atIso: string) {
    if (!(await this.enabledFor(ref.schoolId))) return
    if (!(await this.isStudent(ref, userId))) return
    const memory = this.#memory(ref.sessionId)
    const c = memory.students.get(userId) ?? emptyContribution()
    memory.students.set(userId, c)
    toggle(c, 'pres', on, Date.parse(atIso) || Date.now())
    c.v++
    await this.#mirror(ref.sessionId, memory, userId, c)
  }

  async #mirror(sessionId: number, memory: ClassMemory, userId: number, data: Contribution | ClassContribution) {
    await this.host.state.hset(liveKey(sessionId), `${userId}|${memory.contributor}`, JSON.stringify(data))
    await this.host.state.hset(DIRTY, String(sessionId), String(Date.now()))
  }

  /** Every contribution of a live class, from shared state (all processes, the dead ones included). */
  async live(sessionId: number): Promise<ClassContributions> {
    return groupContributions(this.#parse(await this.host.state.hgetall(liveKey(sessionId))))
  }

  #parse(hash: Record<string, string>) {
    return Object.entries(hash).map(([field, json]) => {
      const [user, contributor] = field.split('|')
      const data = JSON.parse(json)
      return { userId: Number(user), contributor, version: Number(data.v), data }
    })
  }

  /** Writes what changed since this process last wrote it; forgets classes ended a while ago. */
  async flush() {
    const dirty = await this.host.state.hgetall(DIRTY)
    // Another process forgot these classes: their rows are written, drop the memory too.
    for (const sessionId of this.#classes.keys()) if (!(String(sessionId) in dirty)) this.#classes.delete(sessionId)
    for (const [id, lastWrite] of Object.entries(dirty)) {
      const sessionId = Number(id)
      try {
        await this.#flushClass(sessionId, Number(lastWrite))
      } catch (error) {
        this.host.logger.error({ err: error, sessionId }, 'engagement flush failed')
      }
    }
  }

  async #flushClass(sessionId: number, lastWrite: number) {
    let cached = this.#info.get(sessionId)
    if (!cached || cached.info?.status !== 'live' || Date.now() - cached.at > 5000) {
      cached = { at: Date.now(), info: await this.host.classes.get(sessionId) }
      this.#info.set(sessionId, cached)
    }
    const info = cached.info
    if (!info) {
      await this.#forget(sessionId)
      return
    }
    const hash = await this.host.state.hgetall(liveKey(sessionId))
    const changed = Object.fromEntries(Object.entries(hash).filter(([field, json]) => this.#writtenRaw.get(`${sessionId}|${field}`) !== json))
    const rows: ContributionRow[] = this.#parse(changed)
      .map((r) => ({ ...r, sessionId }))
      .filter((r) => (this.#written.get(`${sessionId}|${r.userId}|${r.contributor}`) ?? -1) < r.version)
    if (rows.length) {
      await writeContributions(rows)
      for (const r of rows) this.#written.set(`${sessionId}|${r.userId}|${r.contributor}`, r.version)
    }
    for (const [field, json] of Object.entries(changed)) this.#writtenRaw.set(`${sessionId}|${field}`, json)
    if (info.status !== 'ended') return
    if (rows.length) await this.onEndedClassWritten(sessionId, info.schoolId)
    if (Date.now() - lastWrite > KEEP_ENDED_MS) await this.#forget(sessionId)
  }

  async #forget(sessionId: number) {
    await this.host.state.del(liveKey(sessionId))
    await this.host.state.hdel(DIRTY, String(sessionId))
    this.#classes.delete(sessionId)
    this.#enrolled.delete(sessionId)
    this.#info.delete(sessionId)
    for (const map of [this.#written, this.#writtenRaw]) for (const key of map.keys()) if (key.startsWith(`${sessionId}|`)) map.delete(key)
  }
}
