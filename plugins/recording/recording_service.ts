import { randomUUID } from 'node:crypto'
import { rm, stat } from 'node:fs/promises'
import { createReadStream } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import { fileStorage, type ClassRef, type PluginHost } from '#app/plugins/api'
import Recording from './models/recording.js'
import RecordingChapter from './models/recording_chapter.js'
import { assembleRecording, recordingPrefix } from './assemble.js'
import type { recordingSettings } from './settings.js'
import './events.js'

export type RecordingHost = PluginHost<typeof recordingSettings>

/** How long one web process owns a recording it is assembling before another may take over. */
const LEASE_MS = 2 * 60_000
const SWEEP_EVERY_MS = 5 * 60_000
const START_RETRY_MS = 5000
const START_ATTEMPTS = 3
const MAX_ATTEMPTS = 3

export const mp4Key = (recording: Recording) => `${recordingPrefix(recording.recordingKey)}/recording.mp4`
export const vttKey = (recording: Recording) => `${recordingPrefix(recording.recordingKey)}/chapters.vtt`

/**
 * The life of every class's recording on the web side: a row when the class starts, the
 * sidecar told to record (again after a sidecar restart), chapter marks from the board, and at
 * class end the sidecar's last part flushed, then the parts joined into one MP4 with chapters.
 * Every state change is a conditional UPDATE, so any number of web processes may race.
 */
export class RecordingService {
  #sweepTimer: NodeJS.Timeout | null = null
  #stopping = false
  #firstSweep: NodeJS.Timeout | null = null
  #startRetries = new Map<number, NodeJS.Timeout>()

  constructor(readonly host: RecordingHost) {}

  async resolution(schoolId: number) {
    const { resolution } = await this.host.settings.forSchool(schoolId)
    return resolution === '1080p' ? { width: 1920 as const, height: 1080 as const } : { width: 1280 as const, height: 720 as const }
  }

  /** class:started → a recording row (none when the school switched the plugin off); the caller starts the sidecar. */
  async classStarted(ref: ClassRef & { startedAt: string }): Promise<Recording | null> {
    if (!(await this.host.settings.isEnabled(ref.schoolId))) return null
    const { width, height } = await this.resolution(ref.schoolId)
    let recording = await Recording.findBy('classSessionId', ref.sessionId)
    if (!recording) {
      try {
        recording = await Recording.create({
          classSessionId: ref.sessionId,
          schoolId: ref.schoolId,
          courseId: ref.courseId,
          recordingKey: randomUUID(),
          title: ref.title,
          state: 'recording',
          width,
          height,
          startedAt: DateTime.fromISO(ref.startedAt),
          attempts: 0,
        })
      } catch {
        recording = await Recording.findByOrFail('classSessionId', ref.sessionId) // another process created it
      }
    }
    this.host.realtime.toSession(ref.sessionId).emit('recording:state', { recording: true })
    return recording
  }

  async teacherIds(sessionId: number) {
    const row = await db
      .from('class_sessions')
      .join('courses', 'courses.id', 'class_sessions.course_id')
      .where('class_sessions.id', sessionId)
      .select('class_sessions.teacher_id', 'courses.teacher_id as course_teacher_id')
      .first()
    return row ? [...new Set([row.teacher_id, row.course_teacher_id].filter(Boolean).map(Number))] : []
  }

  /** Idempotent: a recording already running on the room's sidecar is left alone. `attempt`: tries so far after a timeout. */
  async startOnSidecar(recording: Recording, attempt = 1) {
    if (recording.state !== 'recording' || this.#stopping) return
    try {
      const media = await this.host.media()
      await media.ensureRoom(recording.roomKey)
      const result = await media.call(
        recording.roomKey,
        'recording.start',
        {
          recordingKey: recording.recordingKey,
          roomKey: recording.roomKey,
          width: recording.width as 1280 | 1920,
          height: recording.height as 720 | 1080,
          teacherUserIds: await this.teacherIds(recording.classSessionId),
        },
        15_000
      )
      if (result.started) {
        this.host.logger.info({ recording: recording.id, parts: result.parts.length }, 'recording started on the media sidecar')
        this.boardFeed?.resend(recording)
      }
    } catch (error) {
      this.host.logger.warn({ err: error, recording: recording.id }, 'recording could not start on a media sidecar yet; retried when one is back')
      // A sidecar that is there but slow (a restarted one starting its renderer) is asked again; the start is idempotent.
      if ((error as { code?: string }).code === 'timeout' && attempt < START_ATTEMPTS) this.#retryStart(recording.id, attempt + 1)
    }
  }

  #retryStart(recordingId: number, attempt: number) {
    if (this.#stopping || this.#startRetries.has(recordingId)) return
    const timer = setTimeout(async () => {
      this.#startRetries.delete(recordingId)
      const current = await Recording.find(recordingId).catch(() => null)
      if (current) await this.startOnSidecar(current, attempt)
    }, START_RETRY_MS)
    timer.unref()
    this.#startRetries.set(recordingId, timer)
  }

  /** Set by the board feed (whiteboard frames): after a (re)start the sidecar needs the current page. */
  boardFeed: { resend(recording: Recording): void } | null = null

  async chapter(recording: Recording, at: Date, title: string, pageKey: string | null) {
    await RecordingChapter.create({ recordingId: recording.id, atMs: at.getTime(), title: title.slice(0, 200), pageKey })
  }

  async finish(recording: Recording, endedAt: DateTime) {
    try {
      const media = await this.host.media()
      const stopped = await media.call(recording.roomKey, 'recording.stop', { recordingKey: recording.recordingKey }, 45_000)
      if (!stopped.uploaded) this.host.logger.warn({ recording: recording.id }, 'the sidecar could not store every part in time')
    } catch (error) {
      // The sidecar is gone: what reached storage is what there is (a restarted sidecar uploads its spool).
      this.host.logger.warn({ err: error, recording: recording.id }, 'recording.stop failed; assembling what is in storage')
    }
    const claimed = await Recording.query()
      .where('id', recording.id)
      .where('state', 'recording')
      .update({ state: 'processing', endedAt: endedAt.toSQL({ includeOffset: false }), leaseUntil: this.#lease(), updatedAt: this.#now() })
    if (!Number(claimed[0] ?? claimed)) return
    await this.process(await Recording.findOrFail(recording.id))
  }

  /**
   * The school switched recording off mid-class (plugins:settings_changed): its running recordings
   * end now, each finished as a recording of what was captured so far; the classes' indicators go
   * off. Any web process may run this (every step is conditional).
   */
  async switchedOff(schoolId: number, ending: (recording: Recording) => void = () => {}) {
    if (await this.host.settings.isEnabled(schoolId)) return
    const running = await Recording.query().where('schoolId', schoolId).where('state', 'recording')
    await Promise.all(
      running.map(async (recording) => {
        ending(recording)
        this.host.realtime.toSession(recording.classSessionId).emit('recording:state', { recording: false })
        await this.finish(recording, DateTime.now())
      })
    )
  }

  #now() {
    return DateTime.utc().toSQL({ includeOffset: false })!
  }

  #lease() {
    return DateTime.utc().plus({ milliseconds: LEASE_MS }).toSQL({ includeOffset: false })!
  }

  /** Joins the parts into the final MP4 (+ WebVTT chapters), stores it and marks the recording ready or failed. */
  async process(recording: Recording) {
    const workDir = join(tmpdir(), `aula-recording-${recording.recordingKey}-${Date.now()}`)
    const heartbeat = setInterval(() => {
      void Recording.query().where('id', recording.id).where('state', 'processing').update({ leaseUntil: this.#lease() }).catch(() => {})
    }, LEASE_MS / 4)
    try {
      await Recording.query().where('id', recording.id).increment('attempts', 1)
      const disk = fileStorage.disk()
      const marks = (await RecordingChapter.query().where('recordingId', recording.id).orderBy('atMs')).map((c) => ({ at: c.atMs, title: c.title }))
      const result = await assembleRecording({ disk, recordingKey: recording.recordingKey, title: recording.title, marks, workDir })
      await disk.putStream(mp4Key(recording), createReadStream(result.mp4), { contentType: 'video/mp4' })
      await disk.put(vttKey(recording), result.vtt, { contentType: 'text/vtt' })
      const { size } = await stat(result.mp4)
      await Recording.query().where('id', recording.id).update({
        state: 'ready',
        readyAt: this.#now(),
        durationMs: result.durationMs,
        sizeBytes: size,
        partCount: result.parts.length,
        failureReason: null,
        leaseUntil: null,
        updatedAt: this.#now(),
      })
      await disk.deleteAll(`${recordingPrefix(recording.recordingKey)}/parts`).catch(() => {})
      this.host.logger.info({ recording: recording.id, durationMs: result.durationMs, parts: result.parts.length }, 'recording ready')
    } catch (error) {
      const fresh = await Recording.find(recording.id)
      const reason = (error as Error).message || 'The recording could not be assembled'
      const final = (fresh?.attempts ?? MAX_ATTEMPTS) >= MAX_ATTEMPTS || error?.constructor?.name === 'NothingRecordedError'
      await Recording.query()
        .where('id', recording.id)
        .update({ state: final ? 'failed' : 'processing', failureReason: reason.slice(0, 500), leaseUntil: final ? null : this.#now(), updatedAt: this.#now() })
      this.host.logger.error({ err: error, recording: recording.id }, final ? 'recording failed' : 'recording assembly failed; will retry')
    } finally {
      clearInterval(heartbeat)
      await rm(workDir, { recursive: true, force: true })
    }
  }

  /**
   * At boot and every few minutes: recordings whose class ended while nothing ran are finished,
   * assemblies whose process died are taken over, live classes get their sidecar recording back,
   * and recordings past the school's retention are deleted.
   */
  async sweep() {
    if (this.#stopping) return
    const orphaned = await Recording.query()
      .where('state', 'recording')
      .whereIn('classSessionId', db.from('class_sessions').select('id').whereNot('status', 'live'))
    for (const recording of orphaned) {
      if (this.#stopping) return
      const session = await db.from('class_sessions').where('id', recording.classSessionId).select('ended_at').first()
      await this.finish(recording, session?.ended_at ? DateTime.fromJSDate(new Date(session.ended_at)) : DateTime.utc())
    }
    const stale = await Recording.query().where('state', 'processing').where((q) => q.whereNull('leaseUntil').orWhere('leaseUntil', '<', this.#now()))
    for (const recording of stale) {
      if (this.#stopping) return
      const taken = await Recording.query()
        .where('id', recording.id)
        .where('state', 'processing')
        .where((q) => q.whereNull('leaseUntil').orWhere('leaseUntil', '<', this.#now()))
        .update({ leaseUntil: this.#lease() })
      if (Number(taken[0] ?? taken)) await this.process(recording)
    }
    const live = await Recording.query()
      .where('state', 'recording')
      .whereIn('classSessionId', db.from('class_sessions').select('id').where('status', 'live'))
    for (const recording of live) await this.startOnSidecar(recording)
    await this.applyRetention()
  }

  async applyRetention() {
    const schools = await Recording.query().whereIn('state', ['ready', 'failed']).distinct('schoolId').select('schoolId')
    for (const { schoolId } of schools) {
      const { retentionDays } = await this.host.settings.forSchool(schoolId)
      if (!retentionDays) continue
      const before = DateTime.utc().minus({ days: retentionDays }).toSQL({ includeOffset: false })!
      const expired = await Recording.query().where('schoolId', schoolId).whereIn('state', ['ready', 'failed']).where('startedAt', '<', before)
      for (const recording of expired) await this.delete(recording)
    }
  }

  /** Removes the recording's files and its row. */
  async delete(recording: Recording) {
    await fileStorage.disk().deleteAll(recordingPrefix(recording.recordingKey)).catch(() => {})
    await recording.delete()
  }

  startSweeps() {
    this.#firstSweep = setTimeout(() => void this.sweep().catch((e) => this.host.logger.error({ err: e }, 'recording sweep failed')), 1000)
    this.#firstSweep.unref()
    this.#sweepTimer = setInterval(() => void this.sweep().catch((e) => this.host.logger.error({ err: e }, 'recording sweep failed')), SWEEP_EVERY_MS)
    this.#sweepTimer.unref()
  }

  /** The process is stopping: sweeps end at their next step, and no recording is started on a sidecar any more. */
  stopSweeps() {
    this.#stopping = true
    // A sweep after the database closed would reopen its pool and keep the process alive.
    if (this.#firstSweep) clearTimeout(this.#firstSweep)
    if (this.#sweepTimer) clearInterval(this.#sweepTimer)
    for (const timer of this.#startRetries.values()) clearTimeout(timer)
    this.#startRetries.clear()
  }
}
