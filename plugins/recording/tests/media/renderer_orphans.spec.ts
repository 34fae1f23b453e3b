import { test } from '@japa/runner'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { RpcClient } from '#app/media/rpc/rpc_client'
import { pidsWithArgument, rendererMarker } from '#app/media/sidecar/recording/stale_renderers'
import { startSidecarProcess, type SidecarProcess } from '#tests/helpers/sidecar'
import { descendants, killAll, running } from '#tests/helpers/process_tree'
import { eventually } from '#tests/helpers/poll'

const SECRET = 'renderer-orphans-secret'
const PORT = 4473

/**
 * A sidecar SIGKILLed mid-class does not leave its board renderer (Chromium, started by Playwright
 * as the leader of its own process group) running: Chromium and its child processes are gone once
 * the next sidecar of the same spool is up. Seen 2026-11-28: Chromium exits on its own when its
 * DevTools pipe closes with the killed sidecar — this test stays green with the start-time kill of
 * stale renderers (stale_renderers.ts) removed, so that kill is an untested safety net.
 */
test.group('Recording: the board renderer of a SIGKILLed sidecar', () => {
  test('is gone, with its child processes, once the next sidecar of the same spool is up', async ({ assert }) => {
    const dir = await mkdtemp(join(tmpdir(), 'aula-renderer-orphans-'))
    const env = { MEDIA_RECORDING_SPOOL: join(dir, 'spool'), AULA_STORAGE_PATH: join(dir, 'storage'), DRIVE_DISK: 'fs' }
    const marker = rendererMarker(resolve(env.MEDIA_RECORDING_SPOOL, 'cache'))
    let sidecar: SidecarProcess = await startSidecarProcess({ port: PORT, secret: SECRET, env })
    let tree: number[] = []
    try {
      const rpc = new RpcClient({ url: sidecar.url, secret: SECRET, timeoutMs: 30_000, reconnect: false })
      await rpc.start()
      await rpc.call('room.ensure', { roomKey: 's9103:main' })
      await rpc.call('recording.start', { recordingKey: 'renderer-orphan-1', roomKey: 's9103:main', width: 1280, height: 720, teacherUserIds: [7] })
      // Chromium with the child processes it forks once it runs (zygote, GPU, renderer).
      tree = await eventually('the board renderer running with its child processes', async () => {
        const pids = (await pidsWithArgument(marker)).flatMap((pid) => descendants(pid))
        return pids.length > 2 ? pids : null
      }, { timeoutMs: 90_000, intervalMs: 200 })
      rpc.close()
      await sidecar.kill('SIGKILL')
      assert.isTrue(tree.some((pid) => running(pid)), 'the renderer outlives the killed sidecar on its own')

      sidecar = await startSidecarProcess({ port: PORT, secret: SECRET, env })
      await eventually('the killed sidecar’s Chromium ended', async () => tree.every((pid) => !running(pid)), { timeoutMs: 10_000, intervalMs: 100 })
    } finally {
      await sidecar.kill('SIGKILL')
      killAll(tree)
      killAll(await pidsWithArgument(marker))
      await rm(dir, { recursive: true, force: true, maxRetries: 5 })
    }
  }).timeout(150_000)
})
