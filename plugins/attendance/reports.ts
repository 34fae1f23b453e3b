import ExcelJS from 'exceljs'
import { PassThrough } from 'node:stream'
import { rateOf } from './rules.js'
import { renderPdf } from './pdf_render.js'
import type { RecordRow } from './store.js'
import type { Period } from './periods.js'

/*
| Reports (CSV, XLSX, PDF) of some attendance records: one line per student and class, a summary
| per student, and in the PDF a chart of the rate per class over time. Rows are built in slices that
| yield to the event loop, so a large export (500 students over three months) never blocks it;
| `progress` hears after each slice how far it got (exports.ts shows it to the user).
*/
export type Translate = (key: string) => string

export interface ReportInput {
  title: string
  period: Period
  basis: 'active' | 'present'
  rows: RecordRow[]
  names: Map<number, string>
  courses: Map<number, string>
  t: Translate
  /** Called after each slice of rows (and once at the end) with the work done so far. */
  progress?: (done: number, total: number) => void
}

const yieldNow = () => new Promise<void>((resolve) => setImmediate(resolve))
const minutes = (ms: number) => Math.round(ms / 60_000)
const pct = (rate: number | null) => (rate === null ? '' : Math.round(rate * 1000) / 10)

const SLICE = 500

export async function detailLines(input: ReportInput, offset = 0, total = input.rows.length) {
  const lines: (string | number)[][] = []
  for (let i = 0; i < input.rows.length; i++) {
    if (i % SLICE === SLICE - 1) {
      input.progress?.(offset + i, total)
      await yieldNow()
    }
    const r = input.rows[i]
    lines.push([
      new Date(r.endedAtMs).toISOString().slice(0, 10),
      input.courses.get(r.courseId) ?? '',
      r.title,
      input.names.get(r.userId) ?? String(r.userId),
      input.t(`status.${r.status}`),
      minutes(r.presentMs),
      minutes(r.activeMs),
      minutes(r.classMs),
      r.overrideReason ?? '',
    ])
  }
  return lines
}

export async function summaryLines(input: ReportInput, offset = 0, total = input.rows.length) {
  const byUser = new Map<number, RecordRow[]>()
  for (let i = 0; i < input.rows.length; i++) {
    if (i % SLICE === SLICE - 1) {
      input.progress?.(offset + i, total)
      await yieldNow()
    }
    const r = input.rows[i]
    const list = byUser.get(r.userId)
    if (list) list.push(r)
    else byUser.set(r.userId, [r])
  }
  return [...byUser]
    .map(([userId, list]) => [input.names.get(userId) ?? String(userId), list.length, list.filter((r) => r.status === 'absent').length, pct(rateOf(list, input.basis))] as (string | number)[])
    .sort((a, b) => String(a[0]).localeCompare(String(b[0])))
}

/** Rate per class over time (oldest first), for the chart. */
export function rateByClass(input: ReportInput) {
  const byClass = new Map<number, RecordRow[]>()
  for (const r of input.rows) {
    const list = byClass.get(r.classSessionId)
    if (list) list.push(r)
    else byClass.set(r.classSessionId, [r])
  }
  return [...byClass.values()]
    .map((list) => ({ date: new Date(list[0].endedAtMs).toISOString().slice(0, 10), title: list[0].title, rate: rateOf(list, input.basis) ?? 0 }))
    .sort((a, b) => a.date.localeCompare(b.date))
}

const detailHeader = (t: Translate) => ['date', 'course', 'class', 'student', 'status', 'present', 'active', 'planned', 'reason'].map((k) => t(`column.${k}`))
const summaryHeader = (t: Translate) => ['student', 'classes', 'missed', 'rate'].map((k) => t(`column.${k}`))

/** Cells that a spreadsheet would run as a formula are prefixed with a quote. */
const safeCell = (value: string | number) => (typeof value === 'string' && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value)
const csvCell = (value: string | number) => {
  const text = String(safeCell(value))
  return /[",\n\r;]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

export async function toCsv(input: ReportInput) {
  const lines = [detailHeader(input.t), ...(await detailLines(input))]
  const text = '\uFEFF' + lines.map((line) => line.map(csvCell).join(',')).join('\r\n') + '\r\n'
  input.progress?.(input.rows.length, input.rows.length)
  return text
}

/** Streamed (exceljs' WorkbookWriter): rows are committed as they go and zipped in chunks. */
export async function toXlsx(input: ReportInput): Promise<Buffer> {
  const chunks: Buffer[] = []
  const sink = new PassThrough()
  sink.on('data', (chunk: Buffer) => chunks.push(chunk))
  const done = new Promise((resolve, reject) => sink.on('end', resolve).on('error', reject))
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: sink, useSharedStrings: false, useStyles: false })
  const summary = workbook.addWorksheet(input.t('sheet.summary'))
  summary.addRow([input.title, input.period.label]).commit()
  summary.addRow(summaryHeader(input.t)).commit()
  // Work: grouping the summary, building the detail lines, writing them (one unit per row each).
  const n = input.rows.length
  for (const line of await summaryLines(input, 0, 3 * n)) summary.addRow(line.map(safeCell)).commit()
  summary.commit()
  const detail = workbook.addWorksheet(input.t('sheet.classes'))
  detail.addRow(detailHeader(input.t)).commit()
  const lines = await detailLines(input, n, 3 * n)
  for (let i = 0; i < lines.length; i++) {
    if (i % SLICE === SLICE - 1) {
      input.progress?.(2 * n + i, 3 * n)
      await yieldNow()
    }
    detail.addRow(lines[i].map(safeCell)).commit()
  }
  detail.commit()
  await workbook.commit()
  await done
  input.progress?.(3 * n, 3 * n)
  return Buffer.concat(chunks)
}

function chart(points: { rate: number }[]) {
  const width = 500
  const height = 120
  const step = points.length ? width / points.length : width
  const bar = Math.max(1, Math.min(30, step * 0.7))
  return {
    canvas: [
      { type: 'line', x1: 0, y1: height, x2: width, y2: height, lineWidth: 0.5 },
      { type: 'line', x1: 0, y1: 0, x2: 0, y2: height, lineWidth: 0.5 },
      ...points.map((p, i) => ({ type: 'rect', x: i * step + (step - bar) / 2, y: height - p.rate * height, w: bar, h: Math.max(0.5, p.rate * height), color: '#3b7dd8' })),
    ],
  }
}

export async function toPdf(input: ReportInput): Promise<Buffer> {
  const n = input.rows.length
  const points = rateByClass(input)
  const summary = await summaryLines(input, 0, 2 * n)
  input.progress?.(n, 2 * n)
  const doc = {
    defaultStyle: { font: 'Helvetica', fontSize: 9 },
    content: [
      { text: input.title, fontSize: 16, bold: true },
      { text: `${input.t('period')}: ${input.period.label}`, margin: [0, 2, 0, 10] },
      { text: input.t('chart'), bold: true, margin: [0, 0, 0, 4] },
      chart(points),
      { text: points.length ? `${points[0].date} – ${points.at(-1)!.date} · 0–100 %` : '', fontSize: 7, margin: [0, 2, 0, 10] },
      {
        table: { headerRows: 1, widths: ['*', 'auto', 'auto', 'auto'], body: [summaryHeader(input.t), ...summary.map((l) => l.map(String))] },
        layout: 'lightHorizontalLines',
      },
    ],
  }
  const pdf = await renderPdf(doc)
  input.progress?.(2 * n, 2 * n)
  return pdf
}
