/* CSV and XLSX files of quiz results (one row per answer, plus a per-question summary in XLSX). */
import ExcelJS from 'exceljs'
import type { ExportRow, RunSummary } from './services/results.js'

const COLUMNS: { header: string; key: keyof ExportRow; width: number }[] = [
  { header: 'Class', key: 'classTitle', width: 28 },
  { header: 'Class date', key: 'classDate', width: 22 },
  { header: 'Question no.', key: 'questionNumber', width: 12 },
  { header: 'Quiz', key: 'quizTitle', width: 22 },
  { header: 'Question', key: 'question', width: 40 },
  { header: 'Type', key: 'type', width: 22 },
  { header: 'Anonymous', key: 'anonymous', width: 11 },
  { header: 'Student', key: 'student', width: 24 },
  { header: 'Answer', key: 'answer', width: 32 },
  { header: 'Correct', key: 'correct', width: 9 },
  { header: 'Response time (s)', key: 'responseSeconds', width: 17 },
  { header: 'Answered at', key: 'answeredAt', width: 22 },
]

function display(value: ExportRow[keyof ExportRow]): string | number {
  if (value === null) return ''
  if (typeof value === 'boolean') return value ? 'yes' : 'no'
  return value
}

/**
 * Spreadsheet apps run cells starting with = + - @ (or a tab / carriage return)
 * as formulas; student text is prefixed with an apostrophe so it stays text.
 */
export function neutraliseFormula(text: string) {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text
}

function csvCell(value: string | number) {
  const text = typeof value === 'number' ? String(value) : neutraliseFormula(value)
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

/** RFC 4180 CSV with a UTF-8 byte order mark, so Excel reads accents correctly. */
export function toCsv(rows: ExportRow[]) {
  const lines = [COLUMNS.map((c) => csvCell(c.header)).join(',')]
  for (const row of rows) lines.push(COLUMNS.map((c) => csvCell(display(row[c.key]))).join(','))
  return '\uFEFF' + lines.join('\r\n') + '\r\n'
}

export async function toXlsx(rows: ExportRow[], summaries: RunSummary[], title: string): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook()
  workbook.creator = 'Aula'
  workbook.title = title
  workbook.created = new Date()

  const answers = workbook.addWorksheet('Answers', { views: [{ state: 'frozen', ySplit: 1 }] })
  answers.columns = COLUMNS.map(({ header, key, width }) => ({ header, key, width }))
  for (const row of rows) {
    // exceljs writes strings as text cells (never formulas), so no neutralising is needed here.
    answers.addRow(Object.fromEntries(COLUMNS.map((c) => [c.key, display(row[c.key])])))
  }
  answers.getRow(1).font = { bold: true }
  answers.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: COLUMNS.length } }

  const questions = workbook.addWorksheet('Questions', { views: [{ state: 'frozen', ySplit: 1 }] })
  questions.columns = [
    { header: 'Question', key: 'prompt', width: 44 },
    { header: 'Quiz', key: 'quiz', width: 22 },
    { header: 'Type', key: 'type', width: 12 },
    { header: 'Anonymous', key: 'anonymous', width: 11 },
    { header: 'Launched', key: 'openedAt', width: 22 },
    { header: 'Answers', key: 'answers', width: 10 },
    { header: 'Correct', key: 'correct', width: 10 },
    { header: '% correct', key: 'percent', width: 10 },
    { header: 'Average response (s)', key: 'average', width: 20 },
  ]
  for (const s of summaries) {
    questions.addRow({
      prompt: s.prompt,
      quiz: s.quizTitle ?? '',
      type: s.type,
      anonymous: s.anonymous ? 'yes' : 'no',
      openedAt: s.openedAt,
      answers: s.answers,
      correct: s.hasCorrectAnswer ? s.correct : '',
      percent: s.hasCorrectAnswer && s.answers ? Math.round((s.correct / s.answers) * 100) : '',
      average: s.averageResponseMs === null ? '' : Math.round(s.averageResponseMs / 100) / 10,
    })
  }
  questions.getRow(1).font = { bold: true }

  return Buffer.from(await workbook.xlsx.writeBuffer())
}
