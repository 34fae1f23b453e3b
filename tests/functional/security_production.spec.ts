import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { test } from '@japa/runner'
import { startAppProcess, type AppProcess } from '#tests/helpers/app_process'
import { assertStrictPolicy, directivesOf } from '#tests/helpers/csp'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
/** What a stack trace or a server path looks like in a response body. */
const LEAKS = [/\n\s+at .+[:(]/, /node_modules/, new RegExp(ROOT.replace(/[/.]/g, '\\$&')), /\.ts:\d+/, /"stack"/]

/** Project files a development server used to hand out; none may be served in production mode. */
const SECRET_PATHS = [
  '/tmp/aula.sqlite3',
  '/tmp/test.sqlite3',
  '/package.json',
  '/package-lock.json',
  '/.env',
  '/config/app.ts',
  '/config/database.ts',
  '/start/env.ts',
  '/app/core/payload_guard.ts',
  '/resources/js/app.ts',
  '/plugins/chat/realtime.ts',
  '/database/migrations',
  '/node_modules/vite/package.json',
  '/@vite/client',
  `/@fs${ROOT}package.json`,
  `/@fs${ROOT}tmp/aula.sqlite3`,
  '/@fs/etc/passwd',
  '/storage/',
]

function assertNoLeak(assert: any, body: string, what: string) {
  for (const pattern of LEAKS) assert.notMatch(body, pattern, `${what} leaks ${pattern}`)
}

/**
 * Runs what `bin/aula start` runs after installing (bin/start_production.sh: cached asset build,
 * migrations, demo school, web process) on its own port and SQLite file, without the media sidecar.
 */
async function startLikeBinAulaStart(port: number) {
  const child = spawn('bash', ['bin/start_production.sh'], {
    cwd: ROOT,
    detached: true, // its own process group: run_embedded.sh stops its group on exit
    env: {
      ...process.env,
      NODE_ENV: 'development', // as an older .env says: the script itself must choose production
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      DB_CONNECTION: 'sqlite',
      SQLITE_PATH: 'tmp/security-start.sqlite3',
      REDIS_URL: '',
      SESSION_DRIVER: 'cookie',
      AULA_EMBEDDED_SIDECAR: '0',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout!.on('data', (d) => (output += d))
  child.stderr!.on('data', (d) => (output += d))
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 14 * 60_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`bin/start_production.sh exited early:\n${output}`)
    if (Date.now() > deadline) throw new Error(`bin/start_production.sh did not answer:\n${output}`)
    try {
      if ((await fetch(`${url}/health`)).ok) break
    } catch {}
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  return {
    url,
    async kill() {
      if (child.exitCode !== null) return
      const exited = new Promise((resolve) => child.once('exit', resolve))
      process.kill(-child.pid!, 'SIGTERM')
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 8000))])
      if (child.exitCode === null) process.kill(-child.pid!, 'SIGKILL')
    },
  }
}

test.group('Security: production mode', (group) => {
  let server: { url: string; kill(): Promise<void> } | null = null
  let brokenDb: AppProcess | null = null
  group.setup(async () => {
    server = await startLikeBinAulaStart(3600 + Math.floor(Math.random() * 300))
    // The same, with a database it cannot open: every login is a 500.
    brokenDb = await startAppProcess({
      env: { NODE_ENV: 'production', LOG_LEVEL: 'fatal', DB_CONNECTION: 'sqlite', SQLITE_PATH: '/nonexistent-aula-dir/db.sqlite3' },
    })
    return async () => {
      await server?.kill()
      await brokenDb?.kill()
    }
  })

  test('source files, the database, packages and /@fs paths answer 404 without stack frames', async ({ assert }) => {
    assert.equal((await fetch(`${server!.url}/login`)).status, 200)
    for (const path of SECRET_PATHS) {
      for (const accept of ['text/html', 'application/json']) {
        const response = await fetch(`${server!.url}${path}`, { headers: { accept }, redirect: 'manual' })
        const body = await response.text()
        assert.equal(response.status, 404, `${path} (${accept}) answered ${response.status}: ${body.slice(0, 200)}`)
        assert.notInclude(body, '"name": "aula"', path)
        assert.notInclude(body, 'SQLite format', path)
        assertNoLeak(assert, body, `${path} (${accept})`)
      }
    }
  }).timeout(15 * 60_000)

  test('the built assets are served and the page uses them, not a Vite dev server', async ({ assert }) => {
    const html = await (await fetch(`${server!.url}/login`)).text()
    assert.notInclude(html, '/@vite/client')
    const script = html.match(/src="(\/assets\/[^"]+\.js)"/)
    assert.isNotNull(script, 'the login page loads a built script')
    assert.equal((await fetch(`${server!.url}${script![1]}`)).status, 200)
  })

  test('the built page runs under the strict Content-Security-Policy, without the development server’s socket', async ({ assert }) => {
    const first = await fetch(`${server!.url}/login`)
    const csp = first.headers.get('content-security-policy')
    const { nonce } = assertStrictPolicy(assert, csp, await first.text(), 'production /login')
    assert.notInclude(directivesOf(csp).get('connect-src')!.join(' '), ':24678', 'no Vite HMR socket in production')
    const second = await fetch(`${server!.url}/login`)
    assert.notEqual(assertStrictPolicy(assert, second.headers.get('content-security-policy'), await second.text(), 'again').nonce, nonce)
    // A path no route serves: the plain 404 page allows nothing.
    const missing = await fetch(`${server!.url}/no-such-page`, { headers: { accept: 'text/html' } })
    assert.equal(missing.status, 404)
    assert.deepEqual(directivesOf(missing.headers.get('content-security-policy')).get('default-src'), ["'none'"])
  })

  test('a server error (500) carries no stack frame or path, in HTML or JSON', async ({ assert }) => {
    const page = await fetch(`${brokenDb!.url}/login`)
    const cookies = page.headers.getSetCookie().map((line) => line.split(';')[0])
    const xsrf = decodeURIComponent(cookies.find((c) => c.startsWith('XSRF-TOKEN='))!.slice('XSRF-TOKEN='.length))
    for (const accept of ['application/json', 'text/html']) {
      const response = await fetch(`${brokenDb!.url}/login`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/json', accept, 'x-xsrf-token': xsrf, cookie: cookies.join('; ') },
        body: JSON.stringify({ email: 'someone@test.aula', password: 'whatever-password' }),
      })
      const body = await response.text()
      assert.equal(response.status, 500, `${accept}: ${body.slice(0, 300)}`)
      assertNoLeak(assert, body, `500 (${accept})`)
      assert.notInclude(body, 'SQLITE', accept)
      assert.notInclude(body, 'nonexistent-aula-dir', accept)
    }
  })
})
