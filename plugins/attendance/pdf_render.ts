import { Worker } from 'node:worker_threads'
import { createRequire } from 'node:module'

/*
| PDFs are laid out by pdfmake in a worker thread: its layout is synchronous and a 500-student table
| stalled the event loop for 0.6 s (bench/attendance/school.ts). The document is plain data; the
| worker loads only pdfmake (no TypeScript loader: execArgv is empty) with the built-in Helvetica
| and no file or network access beyond pdfkit's standard fonts.
*/
const require = createRequire(import.meta.url)

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads')
const pdfmake = require(workerData.pdfmake)
const STANDARD_FONTS = ['Helvetica', 'Helvetica-Bold', 'Helvetica-Oblique', 'Helvetica-BoldOblique']
pdfmake.setFonts({ Helvetica: { normal: 'Helvetica', bold: 'Helvetica-Bold', italics: 'Helvetica-Oblique', bolditalics: 'Helvetica-BoldOblique' } })
pdfmake.setUrlAccessPolicy(() => false)
pdfmake.setLocalAccessPolicy((path) => STANDARD_FONTS.includes(path))
pdfmake.createPdf(workerData.doc).getBuffer().then((pdf) => parentPort.postMessage(pdf))
`

export function renderPdf(doc: object): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER, {
      eval: true,
      execArgv: [],
      workerData: { doc, pdfmake: require.resolve('pdfmake') },
      resourceLimits: { maxOldGenerationSizeMb: 512 },
    })
    let result: Buffer | null = null
    worker.once('message', (pdf: Uint8Array) => (result = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength)))
    worker.once('error', reject)
    worker.once('exit', (code) => (result ? resolve(result) : reject(new Error(`the PDF worker exited with code ${code}`))))
  })
}
