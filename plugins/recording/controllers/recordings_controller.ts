import type { HttpContext } from '@adonisjs/core/http'
import db from '@adonisjs/lucid/services/db'
import { fileStorage } from '#app/plugins/api'
import Recording from '../models/recording.js'
import { notFound, parseId, recordingFor, scopeToActor } from '../access.js'
import { mp4Key, vttKey, type RecordingService } from '../recording_service.js'
import { failureKindOf, recordingPrefix } from '../assemble.js'
import type { RecordingChapterView, RecordingListItem } from '../events.js'

const iso = (value: { toISO(): string | null } | null) => (value ? value.toISO() : null)

function vttChapters(vtt: string): RecordingChapterView[] {
  const time = (t: string) => {
    const [h, m, s] = t.split(':')
    return Math.round((Number(h) * 3600 + Number(m) * 60 + Number(s)) * 1000)
  }
  const chapters: RecordingChapterView[] = []
  for (const block of vtt.split(/\n\n+/)) {
    const lines = block.split('\n')
    const cue = lines.findIndex((l) => l.includes(' --> '))
    if (cue < 0) continue
    const [start, end] = lines[cue].split(' --> ')
    chapters.push({ startMs: time(start.trim()), endMs: time(end.trim()), title: lines.slice(cue + 1).join(' ') })
  }
  return chapters
}

/** Byte range of a `Range: bytes=…` header against a file of `size` bytes; null when it cannot be served. */
export function parseRange(header: string, size: number): { start: number; end: number } | null {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim())
  if (!match || (match[1] === '' && match[2] === '')) return null
  let start: number
  let end: number
  if (match[1] === '') {
    start = Math.max(0, size - Number(match[2]))
    end = size - 1
  } else {
    start = Number(match[1])
    end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1)
  }
  if (!Number.isSafeInteger(start) || start >= size || end < start) return null
  return { start, end }
}

/** Playback page, the MP4 with Range, chapters, segments, and the lists. */
export class RecordingsController {
  constructor(private service: RecordingService) {}

  async #parentsMayWatch(schoolId: number) {
    return (await this.service.host.settings.forSchool(schoolId)).parentsMayWatch
  }

  async #find(ctx: HttpContext) {
    const user = ctx.auth.getUserOrFail()
    return recordingFor(user, ctx.params.id, await this.#parentsMayWatch(user.schoolId))
  }

  async #items(recordings: Recording[]): Promise<RecordingListItem[]> {
    const courses = new Map<number, string>()
    if (recordings.length) {
      const rows = await db.from('courses').whereIn('id', [...new Set(recordings.map((r) => r.courseId))]).select('id', 'name')
      for (const row of rows) courses.set(row.id, row.name)
    }
    return recordings.map((r) => ({
      id: r.id,
      title: r.title,
      courseName: courses.get(r.courseId) ?? '',
      state: r.state,
      failureReason: r.failureReason,
      failureKind: r.state === 'failed' ? failureKindOf(r.failureReason) : null,
      startedAt: r.startedAt.toISO()!,
      endedAt: iso(r.endedAt),
      durationMs: r.durationMs,
      sizeBytes: r.sizeBytes,
      partCount: r.partCount,
    }))
  }

  async index(ctx: HttpContext) {
    const user = ctx.auth.getUserOrFail()
    const query = scopeToActor(Recording.query(), user, await this.#parentsMayWatch(user.schoolId))
    const child = Number(ctx.request.input('child'))
    if (Number.isInteger(child) && child > 0) query.whereIn('course_id', db.from('course_enrollments').select('course_id').where('student_id', child))
    const recordings = await query.orderBy('startedAt', 'desc').limit(50)
    return { recordings: await this.#items(recordings) }
  }

  async show(ctx: HttpContext) {
    const recording = await this.#find(ctx)
    const [item] = await this.#items([recording])
    let chapters: RecordingChapterView[] = []
    if (recording.state === 'ready') {
      chapters = vttChapters(await fileStorage.disk().get(vttKey(recording)).catch(() => ''))
    }
    return ctx.inertia.render('plugins/recording/playback' as never, { recording: item, chapters } as never)
  }

  async video(ctx: HttpContext) {
    const { request, response } = ctx
    const recording = await this.#find(ctx)
    if (recording.state !== 'ready') throw notFound()
    const key = mp4Key(recording)
    const size = await fileStorage.size(key)
    if (size === null) throw notFound()
    response.header('Accept-Ranges', 'bytes')
    response.header('Content-Type', 'video/mp4')
    response.header('Cache-Control', 'private, max-age=3600')
    if (request.input('download')) {
      const name = recording.title.replace(/[^\p{L}\p{N} ._-]+/gu, '').trim().replace(/\s+/g, '-').slice(0, 80) || 'recording'
      response.header('Content-Disposition', `attachment; filename="${name}.mp4"`)
    }
    const header = request.header('range')
    if (!header) {
      response.header('Content-Length', String(size))
      return response.stream(await fileStorage.readRange(key, 0, size - 1))
    }
    const range = parseRange(header, size)
    if (!range) {
      response.header('Content-Range', `bytes */${size}`)
      return response.status(416).send('')
    }
    response.status(206)
    response.header('Content-Range', `bytes ${range.start}-${range.end}/${size}`)
    response.header('Content-Length', String(range.end - range.start + 1))
    return response.stream(await fileStorage.readRange(key, range.start, range.end))
  }

  async chapters(ctx: HttpContext) {
    const recording = await this.#find(ctx)
    if (recording.state !== 'ready') throw notFound()
    const vtt = await fileStorage.disk().get(vttKey(recording)).catch(() => null)
    if (vtt === null) throw notFound()
    ctx.response.header('Content-Type', 'text/vtt; charset=utf-8')
    return vtt
  }

  /** A stored part file (init.mp4 or a 2 s segment) while the parts exist: recording, processing or failed. */
  async segment(ctx: HttpContext) {
    const recording = await this.#find(ctx)
    const part = String(ctx.params.part)
    const file = String(ctx.params.file)
    if (!/^[\w-]{1,40}$/.test(part) || !/^(init\.mp4|seg_\d{5}\.m4s)$/.test(file)) throw notFound()
    const key = `${recordingPrefix(recording.recordingKey)}/parts/${part}/${file}`
    const size = await fileStorage.size(key)
    if (size === null) throw notFound()
    ctx.response.header('Content-Type', file.endsWith('.m4s') ? 'video/iso.segment' : 'video/mp4')
    ctx.response.header('Content-Length', String(size))
    ctx.response.header('Cache-Control', 'private, max-age=3600')
    return ctx.response.stream(await fileStorage.readRange(key, 0, size - 1))
  }

  async admin(ctx: HttpContext) {
    const user = ctx.auth.getUserOrFail()
    if (user.role !== 'admin') throw notFound()
    const recordings = await Recording.query()
      .where('schoolId', user.schoolId)
      .orderByRaw("case when state = 'failed' then 0 else 1 end")
      .orderBy('startedAt', 'desc')
      .limit(200)
    const settings = await this.service.host.settings.forSchool(user.schoolId)
    return ctx.inertia.render('plugins/recording/admin' as never, { recordings: await this.#items(recordings), retentionDays: settings.retentionDays } as never)
  }

  async destroy(ctx: HttpContext) {
    const user = ctx.auth.getUserOrFail()
    if (user.role !== 'admin') throw notFound()
    const recording = await Recording.query().where('id', parseId(ctx.params.id)).where('schoolId', user.schoolId).first()
    if (!recording) throw notFound()
    if (recording.state === 'recording' || recording.state === 'processing') {
      return ctx.response.status(409).send({ error: 'This recording is still being made; delete it once it is ready or failed' })
    }
    await this.service.delete(recording)
    return { deleted: true }
  }
}
