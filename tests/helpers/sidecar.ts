import { flushCoverageBeforeKill } from '#tests/helpers/coverage_flush'
import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))

export interface SidecarProcess {
  port: number
  url: string
  child: ChildProcess
  output(): string
  kill(signal?: NodeJS.Signals): Promise<void>
}

/** Starts a real media sidecar process (real mediasoup worker) on the given port. */
export async function startSidecarProcess(options: { port: number; secret: string; env?: Record<string, string> }): Promise<SidecarProcess> {
  const child = spawn(process.execPath, ['--import=ts-node-maintained/register/esm', 'app/media/sidecar/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      MEDIA_RPC_HOST: '127.0.0.1',
      MEDIA_RPC_PORT: String(options.port),
      MEDIA_RPC_SECRET: options.secret,
      MEDIA_RPC_TEST_METHODS: '1',
      MEDIA_WORKERS: '1',
      MEDIA_LOAD_REPORT_MS: '200',
      MEDIA_RTC_MIN_PORT: String(42000 + (options.port % 50) * 100),
      MEDIA_RTC_MAX_PORT: String(42099 + (options.port % 50) * 100),
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Sidecar did not start:\n${output}`)), 30_000)
    const onData = (data: Buffer) => {
      output += data
      if (output.includes('listening on')) {
        clearTimeout(timer)
        resolve()
      }
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', onData)
    child.once('exit', () => {
      clearTimeout(timer)
      reject(new Error(`Sidecar exited:\n${output}`))
    })
  })
  return {
    port: options.port,
    url: `tcp://127.0.0.1:${options.port}`,
    child,
    output: () => output,
    kill: async (signal = 'SIGTERM') => {
      if (signal === 'SIGKILL') await flushCoverageBeforeKill(child, () => output)
      return new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve()
        child.once('exit', () => resolve())
        child.kill(signal)
      })
    },
  }
}

/** The media sidecar address the test server is configured with (MEDIA_SIDECARS): tests start theirs there. */
export const TEST_SIDECAR_PORT = Number(new URL((process.env.MEDIA_SIDECARS ?? 'tcp://127.0.0.1:4453').split(',')[0]).port)
export const TEST_MEDIA_SECRET = process.env.MEDIA_RPC_SECRET ?? 'test-media-secret'
