import { chromium, type Browser, type Page } from 'playwright-core'
import { PASSWORD } from '#tests/helpers/fixtures'
import { TEST_URL } from '#tests/helpers/sockets'

const BASE_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
]
const MEDIA_ARGS = ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', '--autoplay-policy=no-user-gesture-required']

/**
 * Debian's Chromium, never a downloaded browser. `executablePath`: a wrapper that runs it elsewhere,
 * e.g. inside a network namespace (Netns.chromiumWrapper in tests/helpers/netns.ts). `cameras`: how
 * many fake cameras it offers (Chromium's `device-count`; one by default).
 */
export function launchChromium(options: { media?: boolean; executablePath?: string; args?: string[]; cameras?: number } = {}): Promise<Browser> {
  const media = options.cameras
    ? MEDIA_ARGS.map((arg) => (arg === '--use-fake-device-for-media-stream' ? `${arg}=device-count=${options.cameras}` : arg))
    : MEDIA_ARGS
  return chromium.launch({
    executablePath: options.executablePath ?? process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [...BASE_ARGS, ...(options.media ? media : []), ...(options.args ?? [])],
  })
}

/**
 * Browser counterpart of `watchAbsence()`: `via` sends a reaction through its classroom socket and
 * each page waits until it shows that reaction. socket.io keeps order on each connection, so anything
 * the server sent those pages before the reaction has been handled when this resolves: the way to
 * prove that something did NOT reach a page, without a fixed wait. (Needs the whiteboard plugin's
 * `__aulaWhiteboard.request`, the classroom's own request function.)
 */
export async function reactionSeen(via: Page, viaName: string, pages: Page[]) {
  await via.evaluate(() => (window as any).__aulaWhiteboard.request('presence:react', { emoji: '🤔' }))
  for (const page of pages) await page.locator(`.reactions .reaction[title="${viaName}"]`).first().waitFor({ timeout: 10_000 })
}

/** Resolves after the page has rendered `count` more frames: what an input event changed is on screen by then. */
export function nextFrames(page: Page, count = 2) {
  return page.evaluate(
    (n) =>
      new Promise<void>((resolve) => {
        const step = (left: number) => (left ? requestAnimationFrame(() => step(left - 1)) : resolve())
        step(n)
      }),
    count
  )
}

/**
 * A fresh browser context logged in through the real login form. `prepare` runs on the new page
 * before the login page loads (e.g. to add init scripts that must see every page of the context).
 */
export async function pageAs(
  browser: Browser,
  user: { email: string },
  baseUrl = TEST_URL,
  prepare?: (page: Page) => Promise<void>,
  /** The browser's language (Accept-Language, navigator.language), e.g. 'de-DE'; Chromium's default when absent. */
  locale?: string
): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...(locale ? { locale } : {}) })
  const page = await context.newPage()
  if (prepare) await prepare(page)
  page.on('pageerror', (error) => {
    // The Vite dev client's HMR socket is disabled in tests; its connection error is expected.
    if (!error.message.includes('WebSocket closed without opened')) console.error(`[${user.email}] page error:`, error.message)
  })
  await page.goto(`${baseUrl}/login`)
  await page.fill('#email', user.email)
  await page.fill('#password', PASSWORD)
  await page.click('button[type=submit]')
  // A fresh checkout's Vite dev server compiles the dashboard on its first request: give it a minute.
  await page.waitForURL(`${baseUrl}/`, { timeout: 60_000 })
  return page
}
