import { test } from '@japa/runner'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { TEST_URL } from '#tests/helpers/sockets'
import { renderPdf } from '../../pdf_render.js'

/*
| The PDF layout runs in a worker thread: while a 500-student table is laid out, this process
| answers /health first (ordering: the health answer comes before the PDF), and the PDF is whole.
*/
test.group('Attendance: PDFs laid out off the event loop', () => {
  test('a 500-row table: /health answers before the PDF is done', async ({ assert }) => {
    const body = [['Student', 'Classes', 'Missed', 'Rate (%)'], ...Array.from({ length: 500 }, (_, i) => [`Student ${i + 1}`, '39', String(i % 5), String(60 + (i % 40))])]
    const doc = { defaultStyle: { font: 'Helvetica', fontSize: 9 }, content: [{ text: 'Big course', fontSize: 16 }, { table: { headerRows: 1, body } }] }
    const order: string[] = []
    const pdf = renderPdf(doc).then((buffer) => (order.push('pdf'), buffer))
    const health = fetch(`${TEST_URL}/health`).then((response) => (order.push('health'), response.status))
    assert.equal(await health, 200)
    const buffer = await pdf
    assert.deepEqual(order, ['health', 'pdf'])
    const dir = mkdtempSync(join(tmpdir(), 'attendance-pdf-'))
    writeFileSync(join(dir, 'r.pdf'), buffer)
    const text = execFileSync('pdftotext', ['-layout', join(dir, 'r.pdf'), '-'], { encoding: 'utf8' })
    assert.include(text, 'Big course')
    assert.include(text, 'Student 500')
  })
})
