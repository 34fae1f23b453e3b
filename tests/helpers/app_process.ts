import { flushCoverageBeforeKill } from '#tests/helpers/coverage_flush'
import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { Redis } from 'ioredis'
import { RedisSharedState } from '#app/realtime/shared_state'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
let nextPort = 3400 + Math.floor(Math.random() * 200)

export interface AppProcess {
  url: string
  port: number
  pid: number
  child: ChildProcess
  output(): string
  kill(signal?: NodeJS.Signals): Promise<void>
}

/**
 * Starts another real Aula web process (bin/server.ts) on its own port, sharing
 * the test database and, when given, Redis. Used for multi-process and crash tests.
 */
export async function startAppProcess(options: { redisUrl?: string; env?: Record<string, string> } = {}): Promise<AppProcess> {
  const port = nextPort++
  // AULA_APP_NODE_ARGS: extra Node flags for the spawned app, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` for a bench.
  const extraArgs = (process.env.AULA_APP_NODE_ARGS ?? '').split(' ').filter(Boolean)
  const child = spawn(process.execPath, [...extraArgs, '--import=ts-node-maintained/register/esm', 'bin/server.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      SESSION_DRIVER: 'cookie',
      ...(options.redisUrl ? { REDIS_URL: options.redisUrl } : {}),
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout!.on('data', (d) => (output += d))
  child.stderr!.on('data', (d) => (output += d))
  const url = `http://127.0.0.1:${port}`

  const deadline = Date.now() + 45_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`App process exited early:\n${output}`)
    try {
      const response = await fetch(`${url}/health`)
      if (response.ok) break
    } catch {}
    await new Promise((r) => setTimeout(r, 250))
  }
  if (Date.now() >= deadline) {
    child.kill('SIGKILL')
    throw new Error(`App process did not start:\n${output}`)
  }

  return {
    url,
    port,
    pid: child.pid!,
    child,
    output: () => output,
    kill: async (signal = 'SIGTERM') => {
      if (signal === 'SIGKILL') await flushCoverageBeforeKill(child, () => output)
      return new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve()
        child.once('exit', () => resolve())
        child.kill(signal)
        // A profiled process (AULA_APP_NODE_ARGS) needs time to write its profile as it exits.
        setTimeout(() => {
          child.kill('SIGKILL')
          resolve()
        }, process.env.AULA_APP_NODE_ARGS ? 60_000 : 5000)
      })
    },
  }
}

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'
/** The Redis namespace of the app processes tests spawn (they inherit REDIS_PREFIX from .env.test or bin/run_tests.sh). */
export const testRedisPrefix = () => process.env.REDIS_PREFIX || 'aula:'

/**
 * Forgets the live state spawned app processes of an earlier run left in Redis: the database is
 * fresh, so class ids start again at 1 and would meet that state. Only a test namespace is touched.
 */
export async function forgetSpawnedProcessState() {
  const prefix = testRedisPrefix()
  if (!prefix.includes('test')) return
  const redis = new Redis(TEST_REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 2000, retryStrategy: () => null })
  try {
    await redis.connect()
    await new RedisSharedState(redis, prefix).clearPrefix('')
  } catch {
    // No Redis here: the tests that spawn processes on Redis will say so themselves.
  } finally {
    redis.disconnect()
  }
}

/**
 * Starts `count` app processes on Redis for a test group and stops them after it.
 * Returns a live array: read it inside tests, not at definition time.
 */
export function useAppProcessesOnRedis(group: { setup(handler: () => Promise<() => Promise<void>>): unknown }, count = 2) {
  const processes: AppProcess[] = []
  group.setup(async () => {
    processes.push(...(await Promise.all(Array.from({ length: count }, () => startAppProcess({ redisUrl: TEST_REDIS_URL })))))
    return async () => {
      await Promise.all(processes.splice(0).map((p) => p.kill()))
    }
  })
  return processes
}
