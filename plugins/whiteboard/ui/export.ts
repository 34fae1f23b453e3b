/*
| Exports of reviewed boards, all in the browser: PNG and SVG of one page (Excalidraw's exporters)
| and one PDF of a room's whole deck (each page rendered to PNG, assembled with pdf-lib).
*/
import { loadExcalidraw } from './excalidraw'
import { fetchDataUrl } from './api'
import type { BinaryFileData } from './excalidraw_runtime'
import type { WbElement, WbPage } from '../events'

export type ReviewPage = WbPage & { elements: WbElement[] }

const EXPORT_APP_STATE = { exportBackground: true, viewBackgroundColor: '#ffffff', exportWithDarkMode: false, exportScale: 2 }
/** Largest side of a rendered page in the PDF (pixels). */
const PDF_MAX_SIDE = 2000

export function visibleElements(page: ReviewPage) {
  return page.elements.filter((e) => !e.isDeleted)
}

/** The slide image of a page as Excalidraw file data (none for blank pages). */
export async function filesOf(page: ReviewPage): Promise<BinaryFileData[]> {
  if (!page.background) return []
  const dataURL = await fetchDataUrl(page.background.url)
  return [{ id: page.background.fileId as never, dataURL: dataURL as never, mimeType: page.background.mimeType, created: Date.now() }]
}

const filesMap = (files: BinaryFileData[]) => Object.fromEntries(files.map((f) => [f.id, f]))

export function download(blob: Blob, filename: string) {
  const url = URL.createObjectURL(blob)
  const link = document.createElement('a')
  link.href = url
  link.download = filename
  document.body.appendChild(link)
  link.click()
  link.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}

export function safeName(text: string) {
  return text.replace(/[^\p{L}\p{N}._ -]+/gu, '').trim().replace(/\s+/g, '-').slice(0, 80) || 'whiteboard'
}

export async function pageToPng(page: ReviewPage, maxWidthOrHeight?: number) {
  const rt = await loadExcalidraw()
  return rt.exportToBlob({
    elements: visibleElements(page) as never,
    files: filesMap(await filesOf(page)),
    appState: EXPORT_APP_STATE,
    mimeType: 'image/png',
    exportPadding: 16,
    ...(maxWidthOrHeight ? { maxWidthOrHeight } : {}),
  })
}

export async function pageToSvg(page: ReviewPage) {
  const rt = await loadExcalidraw()
  const svg = await rt.exportToSvg({
    elements: visibleElements(page) as never,
    files: filesMap(await filesOf(page)),
    appState: { ...EXPORT_APP_STATE, exportEmbedScene: false },
    exportPadding: 16,
  })
  return new Blob([new XMLSerializer().serializeToString(svg)], { type: 'image/svg+xml' })
}

/** One PDF page per board page, each as large as its drawing (blank pages: A4 landscape). */
export async function deckToPdf(pages: ReviewPage[], title: string, onProgress?: (done: number, total: number) => void) {
  const { PDFDocument } = await import('pdf-lib')
  const pdf = await PDFDocument.create()
  pdf.setTitle(title)
  pdf.setCreator('Aula whiteboard')
  for (const [index, page] of pages.entries()) {
    if (!visibleElements(page).length) {
      pdf.addPage([842, 595])
    } else {
      const png = await pageToPng(page, PDF_MAX_SIDE)
      const image = await pdf.embedPng(await png.arrayBuffer())
      // The longest side fits A4's (842 pt); the image keeps its full resolution inside.
      const scale = 842 / Math.max(image.width, image.height)
      const width = image.width * scale
      const height = image.height * scale
      const pdfPage = pdf.addPage([width, height])
      pdfPage.drawImage(image, { x: 0, y: 0, width, height })
    }
    onProgress?.(index + 1, pages.length)
  }
  const bytes = await pdf.save()
  return new Blob([bytes as BlobPart], { type: 'application/pdf' })
}
