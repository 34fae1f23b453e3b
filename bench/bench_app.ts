import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import type { Browser, Page } from 'playwright-core'

/*
| What the browser benches (bench/join, bench/hls) share: the environment of their throwaway app
| (its own SQLite file, in-process realtime, their sidecar), `node ace` in it, and Chromium's flags.
*/
const ROOT = fileURLToPath(new URL('../', import.meta.url))

/**
 * `production`: what `bin/aula start` runs (NODE_ENV=production, the built assets of
 * bin/setup/build_assets.sh); otherwise Vite's dev server, as `bin/aula dev`.
 */
export function benchAppEnv(options: { sqlitePath: string; rpcPort: number; rpcSecret: string; production: boolean }): Record<string, string> {
  return {
    NODE_ENV: options.production ? 'production' : 'development',
    HOST: '127.0.0.1',
    APP_KEY: randomBytes(32).toString('base64url'),
    LOG_LEVEL: 'warn',
    DB_CONNECTION: 'sqlite',
    SQLITE_PATH: options.sqlitePath,
    REDIS_URL: '',
    SESSION_DRIVER: 'cookie',
    MEDIA_SIDECARS: `tcp://127.0.0.1:${options.rpcPort}`,
    MEDIA_RPC_SECRET: options.rpcSecret,
  }
}

/** Runs `node ace <argv>` against the bench's app environment; rejects with its output when it fails. */
export function runAce(appEnv: Record<string, string>, argv: string[]) {
  return new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, ['ace', ...argv], { cwd: ROOT, env: { ...process.env, ...appEnv, PORT: '0' }, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout!.on('data', (d) => (output += d))
    child.stderr!.on('data', (d) => (output += d))
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`node ace ${argv.join(' ')} failed:\n${output}`))))
  })
}

export const BENCH_CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--disable-quic', '--no-first-run',
  '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', '--autoplay-policy=no-user-gesture-required',
]

const DEMO_PASSWORD = 'aula-demo'

/** A 1280×800 page of a demo user, logged in; `prepare` runs before the first navigation (init scripts). */
export async function loggedIn(browser: Browser, baseUrl: string, email: string, prepare?: (page: Page) => Promise<void>) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
  const page = await context.newPage()
  if (prepare) await prepare(page)
  page.on('pageerror', (error) => {
    if (!error.message.includes('WebSocket closed without opened')) console.error(`[${email}] page error: ${error.message}`)
  })
  await page.goto(`${baseUrl}/login`)
  await page.fill('#email', email)
  await page.fill('#password', DEMO_PASSWORD)
  await page.click('button[type=submit]')
  await page.waitForURL(`${baseUrl}/`)
  return page
}

/** Builds the browser bundle (cached by a hash of its sources) before a bench runs the app in production mode. */
export function buildAssets() {
  return new Promise<void>((resolve, reject) => {
    const child = spawn('bash', ['bin/setup/build_assets.sh'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] })
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`bin/setup/build_assets.sh failed (${code})`))))
  })
}

/** How the bench's app runs, for its JSON. */
export const appSetup = (production: boolean) =>
  production
    ? 'bin/server.ts, NODE_ENV=production with the built assets (as `bin/aula start`), SQLite, in-process realtime (one web process)'
    : 'bin/server.ts, NODE_ENV=development with Vite’s dev server (as `bin/aula dev`), SQLite, in-process realtime (one web process)'
