import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { freePort } from '#tests/helpers/ports'
import { eventually } from '#tests/helpers/poll'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
/** The recipe's balancer configuration, as an operator installs it. */
export const HAPROXY_RECIPE = join(ROOT, 'deploy', 'haproxy', 'aula.cfg')

export interface Backend {
  name: string
  port: number
}

/**
 * The recipe's config for a test: only the lines marked `# test: <mark>` change —
 * `drop` (syslog, chroot, admin socket, user, group) is removed, `maxconn` lowered (the test machine
 * allows 20,000 descriptors), `bind` and `stats` bind loopback ports, and the `servers` lines become one
 * line per test process with the same options as the recipe's first one (check, cookie, …).
 * Every other line is the recipe's own. Throws on an unknown or a missing mark.
 */
export function haproxyConfigForTest(source: string, options: { port: number; statsPort: number; backends: Backend[] }) {
  const out: string[] = []
  const seen = new Set<string>()
  for (const line of source.split('\n')) {
    const marked = /^(\s*)(\S.*?)\s*# test: (\w+)\s*$/.exec(line)
    if (!marked) {
      out.push(line)
      continue
    }
    const [, indent, directive, mark] = marked
    const first = !seen.has(mark)
    seen.add(mark)
    switch (mark) {
      case 'drop':
        break
      case 'maxconn':
        out.push(`${indent}maxconn 2000`)
        break
      case 'bind':
        out.push(`${indent}bind 127.0.0.1:${options.port}`)
        break
      case 'stats':
        out.push(`${indent}bind 127.0.0.1:${options.statsPort}`)
        break
      case 'servers': {
        if (!first) break
        const server = /^server\s+(\S+)\s+(\S+)(.*)$/.exec(directive)
        if (!server) throw new Error(`not a server line: ${directive}`)
        const [, name, , rest] = server
        for (const backend of options.backends) {
          out.push(`${indent}server ${backend.name} 127.0.0.1:${backend.port}${rest.split(name).join(backend.name)}`)
        }
        break
      }
      default:
        throw new Error(`unknown # test: mark "${mark}" in ${HAPROXY_RECIPE}`)
    }
  }
  for (const mark of ['drop', 'maxconn', 'bind', 'stats', 'servers']) {
    if (!seen.has(mark)) throw new Error(`${HAPROXY_RECIPE} has no line marked "# test: ${mark}"`)
  }
  return out.join('\n')
}

export interface RunningHaproxy {
  url: string
  config: string
  /** Each server of the backend `aula_web` and its state as HAProxy sees it (UP, DOWN, …). */
  serverStates(): Promise<Record<string, string>>
  output(): string
  stop(): Promise<void>
}

/** Checks a config with `haproxy -c`; resolves to its output, rejects when HAProxy refuses it. */
export function checkHaproxyConfig(path: string) {
  return new Promise<string>((resolve, reject) => {
    const child = spawn('haproxy', ['-c', '-f', path], { stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (d) => (output += d))
    child.stderr.on('data', (d) => (output += d))
    child.once('error', reject)
    child.once('exit', (code) => (code === 0 ? resolve(output) : reject(new Error(`haproxy -c exited ${code}:\n${output}`))))
  })
}

/** Runs Debian's HAProxy (foreground, as a child of the test) with the recipe's config in front of `backends`. */
export async function startHaproxy(backends: Backend[]): Promise<RunningHaproxy> {
  const [port, statsPort] = [await freePort(), await freePort()]
  const dir = mkdtempSync(join(tmpdir(), 'aula-haproxy-'))
  const configPath = join(dir, 'haproxy.cfg')
  const config = haproxyConfigForTest(readFileSync(HAPROXY_RECIPE, 'utf8'), { port, statsPort, backends })
  writeFileSync(configPath, config)
  const child: ChildProcess = spawn('haproxy', ['-db', '-f', configPath], { stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout!.on('data', (d) => (output += d))
  child.stderr!.on('data', (d) => (output += d))
  child.once('error', (error) => (output += String(error)))

  const serverStates = async () => {
    const csv = await (await fetch(`http://127.0.0.1:${statsPort}/stats;csv`)).text()
    const [header, ...rows] = csv.trim().split('\n')
    const columns = header.replace(/^# /, '').split(',')
    const [px, sv, status] = ['pxname', 'svname', 'status'].map((c) => columns.indexOf(c))
    const states: Record<string, string> = {}
    for (const row of rows) {
      const cells = row.split(',')
      if (cells[px] === 'aula_web' && !['FRONTEND', 'BACKEND'].includes(cells[sv])) states[cells[sv]] = cells[status]
    }
    return states
  }
  const stop = () =>
    new Promise<void>((resolve) => {
      const done = () => {
        rmSync(dir, { recursive: true, force: true })
        resolve()
      }
      if (child.exitCode !== null || child.signalCode !== null) return done()
      child.once('exit', done)
      child.kill('SIGTERM')
      setTimeout(() => child.kill('SIGKILL'), 5000).unref()
    })

  try {
    await eventually('HAProxy answers on its stats port', async () => {
      if (child.exitCode !== null) throw new Error(`haproxy exited ${child.exitCode}:\n${output}`)
      try {
        return Object.keys(await serverStates()).length === backends.length
      } catch {
        return false
      }
    })
  } catch (error) {
    await stop()
    throw error
  }
  return { url: `http://127.0.0.1:${port}`, config, serverStates, output: () => output, stop }
}
