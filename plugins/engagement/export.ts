/* CSV and XLSX of the at-risk list: one row per student with the verdict and the signals of the last class. */
import ExcelJS from 'exceljs'
import type { RiskVerdict } from './at_risk.js'
import { SIGNALS, type SignalPart } from './rules.js'

export interface RiskRow extends RiskVerdict {
  userId: number
  name: string
  scores: { sessionId: number; endedAt: string; score: number | null }[]
  lastAttendance: number | null
  lastAttendanceStatus: string | null
  lastParts: SignalPart[]
}

const HEADER = ['Student', 'At risk', 'Low', 'Falling', 'Mean score', 'Trend (points per class)', 'Scores (oldest first)', 'Attendance status (last class)', ...SIGNALS.map((s) => `Last class: ${s}`)]

const explain = (p: SignalPart | undefined) =>
  !p ? '' : p.value === null ? `not measured (${p.notMeasured})` : `${Math.round(p.value * 100)} % × ${p.effectiveWeight} %`

function cells(row: RiskRow): (string | number)[] {
  return [
    row.name,
    row.atRisk ? 'yes' : 'no',
    row.low ? 'yes' : 'no',
    row.falling ? 'yes' : 'no',
    row.mean ?? '',
    row.slope,
    row.scores.map((s) => (s.score === null ? '–' : s.score)).join(' '),
    row.lastAttendanceStatus ?? '',
    ...SIGNALS.map((s) => explain(row.lastParts.find((p) => p.signal === s))),
  ]
}

/** Cells that start like a formula stay text in spreadsheet apps. */
const neutralise = (text: string) => (/^[=+\-@\t\r]/.test(text) ? `'${text}` : text)
const csvCell = (value: string | number) => {
  const text = typeof value === 'number' ? String(value) : neutralise(value)
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

export function toCsv(rows: RiskRow[]) {
  return '\uFEFF' + [HEADER, ...rows.map(cells)].map((line) => line.map(csvCell).join(',')).join('\r\n') + '\r\n'
}

export async function toXlsx(rows: RiskRow[]) {
  const book = new ExcelJS.Workbook()
  const sheet = book.addWorksheet('At risk')
  sheet.addRow(HEADER).font = { bold: true }
  for (const row of rows) sheet.addRow(cells(row).map((c) => (typeof c === 'string' ? neutralise(c) : c)))
  sheet.columns.forEach((column) => (column.width = 20))
  return Buffer.from(await book.xlsx.writeBuffer())
}
