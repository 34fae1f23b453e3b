import { randomUUID } from 'node:crypto'
import db from '@adonisjs/lucid/services/db'
import { Exception } from '@adonisjs/core/exceptions'
import { fileStorage } from '#app/plugins/api'
import type { AttendanceHost } from './context.js'
import type { Actor } from './access.js'
import { toCsv, toPdf, toXlsx, type Translate } from './reports.js'
import { reportFilename, reportInput, type ReportFormat, type ScopedReport } from './report_scope.js'
import type { Period } from './periods.js'

/*
| Background exports: the request only checks access and starts the job (202); the job loads the
| records and builds the file in slices that yield to the event loop (reports.ts), so the process
| keeps answering other requests. Its progress is kept in attendance_exports and pushed to the one
| user who asked (host.notify, at most once per percent); the file goes to Aula's storage (shared by
| all processes), downloadable by that user only. One running export per user. A job whose process
| died is marked failed after STALE_MS without progress; rows and files go after KEEP_MS.
*/
export const STALE_MS = 10 * 60_000
export const KEEP_MS = 24 * 3600_000

export interface ExportView {
  id: string
  format: ReportFormat
  filename: string
  status: 'running' | 'done' | 'failed'
  done: number
  total: number
  bytes: number | null
}

const view = (row: any): ExportView => ({
  id: row.id,
  format: row.format,
  filename: row.filename,
  status: row.status,
  done: Number(row.done),
  total: Number(row.total),
  bytes: row.bytes === null ? null : Number(row.bytes),
})

const fileKey = (id: string, format: ReportFormat) => `attendance/exports/${id}.${format}`

export async function exportOf(user: Actor, id: string) {
  if (!/^[0-9a-f-]{36}$/.test(id)) return null
  const row = await db.from('attendance_exports').where({ id, user_id: user.id, school_id: user.schoolId }).first()
  if (!row) return null
  const current = row.status === 'running' ? live.get(id) : undefined
  return { view: { ...view(row), ...(current ?? {}) }, fileKey: row.file_key as string | null }
}

export async function startExport(
  host: AttendanceHost,
  user: Actor,
  job: { report: ScopedReport; period: Period; format: ReportFormat; t: Translate }
): Promise<ExportView> {
  const nowMs = Date.now()
  const busy = await db
    .from('attendance_exports')
    .where({ user_id: user.id, status: 'running' })
    .where('updated_at_ms', '>=', nowMs - STALE_MS)
    .first()
  if (busy) throw new Exception('An export of yours is still running', { status: 429, code: 'E_EXPORT_RUNNING' })
  const row = {
    id: randomUUID(),
    school_id: user.schoolId,
    user_id: user.id,
    format: job.format,
    filename: reportFilename(job.report.title, job.period, job.format),
    status: 'running',
    done: 0,
    total: 0,
    file_key: null,
    bytes: null,
    created_at_ms: nowMs,
    updated_at_ms: nowMs,
  }
  await db.table('attendance_exports').insert(row)
  void run(host, user, row.id, job)
  return view(row)
}

/** Live progress of the jobs running in this process (the stored one lags by a database write). */
const live = new Map<string, { done: number; total: number }>()

async function run(host: AttendanceHost, user: Actor, id: string, job: Parameters<typeof startExport>[2]) {
  // Progress is stored and pushed at most once per percent; while one write is under way only the
  // latest state waits, so a slow database never queues up stale updates.
  let next: { changes: Record<string, unknown>; notice: Record<string, unknown> } | null = null
  let writing: Promise<void> | null = null
  const flush = async () => {
    while (next) {
      const { changes, notice } = next
      next = null
      try {
        await db.from('attendance_exports').where('id', id).update({ ...changes, updated_at_ms: Date.now() })
        host.notify([user.id], { type: 'export', id, ...notice })
      } catch (error) {
        host.logger.warn({ err: error, id }, 'attendance: recording export progress failed')
      }
    }
    writing = null
  }
  const update = (changes: Record<string, unknown>, notice: Record<string, unknown>) => {
    next = { changes, notice }
    writing ??= flush()
  }
  let shownPercent = -1
  let units = 1
  try {
    const rows = await job.report.load(job.period)
    const input = await reportInput(host, job.report.title, job.period, rows, user.schoolId, job.t)
    input.progress = (done, total) => {
      units = Math.max(1, total)
      live.set(id, { done, total: units })
      const percent = total ? Math.floor((done * 100) / total) : 100
      if (percent <= shownPercent || done >= total) return
      shownPercent = percent
      update({ done, total }, { status: 'running', done, total })
    }
    const body = job.format === 'csv' ? Buffer.from(await toCsv(input)) : job.format === 'xlsx' ? await toXlsx(input) : await toPdf(input)
    const key = fileKey(id, job.format)
    await fileStorage.disk().put(key, body)
    await writing
    update({ status: 'done', done: units, total: units, file_key: key, bytes: body.length }, { status: 'done', done: units, total: units, bytes: body.length })
  } catch (error) {
    host.logger.error({ err: error, id }, 'attendance: export failed')
    await writing
    update({ status: 'failed' }, { status: 'failed', done: 0, total: 0 })
  } finally {
    live.delete(id)
  }
  await writing
}

/** From the sweep: jobs whose process died are failed; old rows and their files are removed. */
export async function cleanExports(host: AttendanceHost, nowMs = Date.now()) {
  await db.from('attendance_exports').where('status', 'running').where('updated_at_ms', '<', nowMs - STALE_MS).update({ status: 'failed', updated_at_ms: nowMs })
  const old = await db.from('attendance_exports').where('created_at_ms', '<', nowMs - KEEP_MS).select('id', 'file_key')
  for (const row of old) {
    if (row.file_key) await fileStorage.disk().delete(row.file_key)
    await db.from('attendance_exports').where('id', row.id).delete()
  }
  if (old.length) host.logger.info({ count: old.length }, 'attendance: old exports removed')
}
