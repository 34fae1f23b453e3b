import { execFile } from 'node:child_process'
import { mkdir, readdir, readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)
const RENDER_TIMEOUT_MS = 120_000
/** Longest side of a rendered slide, in pixels. */
const SLIDE_PIXELS = 1600

export class DeckError extends Error {}

export interface RenderedSlide {
  path: string
  width: number
  height: number
  bytes: number
}

/** Width and height from a PNG's IHDR chunk. */
export function pngSize(buffer: Buffer) {
  if (buffer.length < 24 || buffer.toString('ascii', 1, 4) !== 'PNG') throw new DeckError('Not a PNG image')
  return { width: buffer.readUInt32BE(16), height: buffer.readUInt32BE(20) }
}

export async function pdfPageCount(pdfPath: string): Promise<number> {
  try {
    const { stdout } = await run('pdfinfo', [pdfPath], { timeout: 30_000 })
    const pages = Number(/^Pages:\s+(\d+)/m.exec(stdout)?.[1])
    if (!Number.isInteger(pages) || pages < 1) throw new DeckError('The PDF has no pages')
    return pages
  } catch (error) {
    if (error instanceof DeckError) throw error
    throw new DeckError('This file could not be read as a PDF')
  }
}

/** Renders every page of a PDF to PNG with poppler's pdftoppm (Debian poppler-utils), offline. */
export async function renderDeck(pdfPath: string, outDir: string): Promise<RenderedSlide[]> {
  await mkdir(outDir, { recursive: true })
  try {
    await run('pdftoppm', ['-png', '-scale-to', String(SLIDE_PIXELS), pdfPath, join(outDir, 'slide')], { timeout: RENDER_TIMEOUT_MS })
  } catch {
    await rm(outDir, { recursive: true, force: true })
    throw new DeckError('The PDF could not be rendered')
  }
  const names = (await readdir(outDir)).filter((n) => n.endsWith('.png')).sort()
  return Promise.all(
    names.map(async (name) => {
      const path = join(outDir, name)
      const buffer = await readFile(path)
      return { path, ...pngSize(buffer), bytes: buffer.length }
    })
  )
}
