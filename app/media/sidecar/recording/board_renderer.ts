import { existsSync } from 'node:fs'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join, normalize, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Browser, Page } from 'playwright-core'
import type { I420 } from './i420.js'
import { ownRendererPid, rendererMarker } from './stale_renderers.js'

export interface BoardScene {
  elements: unknown[]
  /** Slide images the elements show (Excalidraw file ids); sent once per renderer. */
  files: { id: string; mimeType: string; dataURL: string }[]
}

const ORIGIN = 'http://aula-board.local'
const require = createRequire(import.meta.url)
/** dist/prod of the installed Excalidraw (its index.js is the package's main entry). */
const EXCALIDRAW_DIST = dirname(require.resolve('@excalidraw/excalidraw'))
const ENTRY = fileURLToPath(new URL('./board_page/entry.ts', import.meta.url))
const FONT_TYPES: Record<string, string> = { '.woff2': 'font/woff2', '.woff': 'font/woff', '.ttf': 'font/ttf' }

/**
 * One long-lived headless Chromium page per sidecar that turns whiteboard scenes into frames
 * with Excalidraw's own exporter — only when a board changes, never 30 times a second. The
 * page's script is bundled once with esbuild from the installed Excalidraw; fonts are served
 * from node_modules and every other request is refused, so nothing reaches a CDN. A crashed
 * browser is started again on the next render.
 */
export class BoardRenderer {
  #browser: Browser | null = null
  #pid: number | null = null
  #page: Page | null = null
  #starting: Promise<Page> | null = null
  #queue: Promise<unknown> = Promise.resolve()
  /** File ids the current page already holds. */
  #files = new Set<string>()
  /** Every slide image received, kept across browser restarts (a web process sends each once). */
  #fileData = new Map<string, BoardScene['files'][number]>()

  constructor(
    readonly cacheDir: string,
    private log: (message: string) => void
  ) {}

  /** The running Chromium's pid, or null while none runs. */
  get pid() {
    return this.#pid
  }

  async #bundle() {
    const version = JSON.parse(await readFile(join(EXCALIDRAW_DIST, '..', '..', 'package.json'), 'utf8')).version
    const path = join(this.cacheDir, `board-renderer-excalidraw-${version}.js`)
    if (existsSync(path)) return readFile(path, 'utf8')
    const { build } = await import('esbuild')
    const result = await build({
      entryPoints: [ENTRY],
      bundle: true,
      format: 'iife',
      write: false,
      minify: true,
      define: { 'process.env.NODE_ENV': '"production"' },
      loader: { '.css': 'empty', '.woff2': 'empty' },
      logLevel: 'error',
    })
    await mkdir(this.cacheDir, { recursive: true })
    await writeFile(path, result.outputFiles[0].text)
    return result.outputFiles[0].text
  }

  async #start(): Promise<Page> {
    const script = await this.#bundle()
    const { chromium } = await import('playwright-core')
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-dev-shm-usage', rendererMarker(resolve(this.cacheDir))],
    })
    browser.on('disconnected', () => {
      if (this.#browser === browser) {
        this.#browser = null
        this.#pid = null
        this.#page = null
        this.#files.clear()
        this.log('board renderer: Chromium went away; it starts again with the next board change')
      }
    })
    const page = await browser.newPage({ viewport: { width: 320, height: 200 } })
    await page.route('**/*', async (route) => {
      const url = new URL(route.request().url())
      if (url.origin !== ORIGIN) return route.abort()
      if (url.pathname === '/') {
        return route.fulfill({ contentType: 'text/html', body: `<!doctype html><meta charset="utf-8"><script>window.EXCALIDRAW_ASSET_PATH='${ORIGIN}/'</script><script src="/renderer.js"></script>` })
      }
      if (url.pathname === '/renderer.js') return route.fulfill({ contentType: 'text/javascript', body: script })
      const path = normalize(join(EXCALIDRAW_DIST, decodeURIComponent(url.pathname)))
      const type = FONT_TYPES[path.slice(path.lastIndexOf('.'))]
      if (!path.startsWith(EXCALIDRAW_DIST + sep) || !type || !existsSync(path)) return route.fulfill({ status: 404, body: '' })
      return route.fulfill({ contentType: type, body: await readFile(path) })
    })
    await page.goto(`${ORIGIN}/`)
    await page.waitForFunction(() => (window as any).boardReady === true)
    this.#browser = browser
    this.#page = page
    this.#pid = await ownRendererPid(resolve(this.cacheDir))
    this.#files.clear()
    return page
  }

  #ready() {
    if (this.#page) return Promise.resolve(this.#page)
    this.#starting ??= this.#start().finally(() => (this.#starting = null))
    return this.#starting
  }

  /** Starts the browser ahead of the first board change (a class began recording). */
  warm() {
    void this.#ready().catch((error) => this.log(`board renderer could not start: ${(error as Error).message}`))
  }

  /** Renders one scene to a width × height I420 frame (white background, scene fitted and centred). */
  render(scene: BoardScene, width: number, height: number): Promise<I420> {
    const run = async () => {
      const page = await this.#ready()
      for (const file of scene.files) this.#fileData.set(file.id, file)
      const used = new Set(scene.elements.map((e) => (e as { fileId?: unknown }).fileId).filter((id): id is string => typeof id === 'string'))
      const files = [...used].filter((id) => !this.#files.has(id) && this.#fileData.has(id)).map((id) => this.#fileData.get(id)!)
      const base64 = await page.evaluate(
        ([s, w, h]) => (window as any).renderBoard(s, w, h) as Promise<string>,
        [{ elements: scene.elements, files }, width, height] as const
      )
      for (const file of files) this.#files.add(file.id)
      return { width, height, data: Buffer.from(base64, 'base64') }
    }
    const result = this.#queue.then(run, run)
    this.#queue = result.catch(() => {})
    return result
  }

  /** Kills the browser (tests, fault drills): the next render starts a new one. */
  kill() {
    const pid = this.pid
    if (pid) process.kill(pid, 'SIGKILL')
  }

  async close() {
    const browser = this.#browser
    this.#browser = null
    this.#pid = null
    this.#page = null
    await browser?.close().catch(() => {})
  }
}
