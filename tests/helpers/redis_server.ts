import { spawn, type ChildProcess } from 'node:child_process'
import { Redis } from 'ioredis'
import { freePort } from '#tests/helpers/ports'

export interface RedisServerProcess {
  port: number
  url: string
  child: ChildProcess
  stop(): Promise<void>
}

/** Starts a throw-away redis-server (no persistence) on a free port; `stop()` kills it. */
export async function startRedisServer(): Promise<RedisServerProcess> {
  const port = await freePort()
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout!.on('data', (d) => (output += d))
  child.stderr!.on('data', (d) => (output += d))
  const url = `redis://127.0.0.1:${port}`
  const deadline = Date.now() + 10_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`redis-server exited:\n${output}`)
    const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null })
    probe.on('error', () => {})
    try {
      await probe.connect()
      await probe.ping()
      break
    } catch {
      if (Date.now() > deadline) throw new Error(`redis-server did not start:\n${output}`)
      await new Promise((r) => setTimeout(r, 100))
    } finally {
      probe.disconnect()
    }
  }
  return {
    port,
    url,
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve()
        child.once('exit', () => resolve())
        child.kill('SIGKILL')
      }),
  }
}
