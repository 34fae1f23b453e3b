/*
| A media sidecar recording into its own temporary spool and local storage, for the recording's
| media tests: the storage disk the web processes would read, an RPC line to the sidecar, and a
| wait on complete segments in storage (media time, never a fixed sleep).
*/
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Disk } from 'flydrive'
import { RpcClient } from '#app/media/rpc/rpc_client'
import { diskFromSettings, storageSettingsFromEnv } from '#app/storage/storage_env'
import type { SidecarProcess } from '#tests/helpers/sidecar'

export async function poll<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let last: unknown
  while (Date.now() < deadline) {
    try {
      const value = await fn()
      if (value) return value
    } catch (error) {
      last = error
    }
    await new Promise((r) => setTimeout(r, 200))
  }
  throw new Error(`${what} did not happen within ${timeoutMs} ms${last ? `: ${(last as Error).message}` : ''}`)
}

/** A temporary spool and storage directory, as the sidecar's environment, and the disk over that storage. */
export async function recordingDirs() {
  const dir = await mkdtemp(join(tmpdir(), 'aula-recording-'))
  const env = { MEDIA_RECORDING_SPOOL: join(dir, 'spool'), AULA_STORAGE_PATH: join(dir, 'storage'), DRIVE_DISK: 'fs' }
  const disk = await diskFromSettings(storageSettingsFromEnv({ ...env }))
  return { dir, env, disk }
}

export async function connectRpc(url: string, secret: string) {
  const rpc = new RpcClient({ url, secret, timeoutMs: 30_000, reconnect: false })
  await rpc.start()
  return rpc
}

/**
 * Waits until the recording's newest part has `segments` complete 2 s segments in storage: media
 * time, not a fixed sleep (on a starved machine the part's clock pauses and this waits longer).
 */
export async function recordSegments(rpc: RpcClient, disk: Disk, recordingKey: string, segments: number, sidecar: SidecarProcess) {
  const status = await rpc.call('recording.status', { recordingKey })
  const part = status.parts.at(-1)!
  const prefix = `recordings/${recordingKey}/parts/${part.partId}`
  const stored = async () => {
    const listing = await disk.listAll(prefix, { recursive: false })
    return [...listing.objects].filter((o) => o.isFile && /seg_\d+\.m4s$/.test(o.key)).length
  }
  const before = await stored()
  await poll(`${segments} more segments of part ${part.partId} in storage`, async () => (await stored()) >= before + segments, segments * 2000 + 60_000).catch(
    async (error) => {
      const listing = await disk.listAll(`recordings/${recordingKey}`, { recursive: true }).catch(() => ({ objects: [] }))
      const keys = [...listing.objects].flatMap((o) => (o.isFile ? [o.key] : []))
      const now = await rpc.call('recording.status', { recordingKey }).catch((e) => e.message)
      throw new Error(`${error.message}; stored ${JSON.stringify(keys)}; status ${JSON.stringify(now)}; sidecar: ${sidecar.output().slice(-2000)}`)
    }
  )
}
