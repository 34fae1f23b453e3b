import { readdir, readFile, rm, stat } from 'node:fs/promises'
import { join, relative } from 'node:path'
import type { Disk } from 'flydrive'

const SCAN_MS = 1000
/** A part nobody writes to any more (its encoder is gone) is taken as complete after this quiet time. */
const ORPHAN_QUIET_MS = 3000

interface PartState {
  dir: string
  /** Storage key prefix: recordings/<key>/parts/<partId> */
  prefix: string
  recordingKey: string
  /** The encoder of this process still writes into it. */
  open: boolean
  uploaded: Set<string>
}

/**
 * Moves finished recording files from the sidecar's local spool to storage (local disk or S3)
 * while the class runs: part.json first, init.mp4, then each 2 s segment once FFmpeg renamed it
 * into place (its .tmp is never uploaded). Local copies are removed once stored, so the spool
 * holds seconds of media. Parts left behind by a killed sidecar (their FFmpeg finishes its last
 * segment when its input pipe closes) are found at start and uploaded like the others.
 */
export class SpoolUploader {
  #parts = new Map<string, PartState>()
  #timer: NodeJS.Timeout | null = null
  #scanning: Promise<void> | null = null
  #errors = 0

  constructor(
    private spool: string,
    private disk: Disk,
    private log: (message: string) => void
  ) {}

  async start() {
    await this.#adoptOrphans()
    this.#timer = setInterval(() => void this.scan(), SCAN_MS)
    this.#timer.unref()
  }

  /** A part whose encoder runs in this process. */
  track(dir: string, recordingKey: string) {
    this.#parts.set(dir, { dir, prefix: relative(this.spool, dir), recordingKey, open: true, uploaded: new Set() })
  }

  /** The encoder of this part exited: upload what is left, then forget the part. */
  close(dir: string) {
    const part = this.#parts.get(dir)
    if (part) part.open = false
  }

  async #adoptOrphans() {
    const root = join(this.spool, 'recordings')
    for (const key of await readdir(root).catch(() => [] as string[])) {
      for (const partId of await readdir(join(root, key, 'parts')).catch(() => [] as string[])) {
        const dir = join(root, key, 'parts', partId)
        if (this.#parts.has(dir)) continue
        this.#parts.set(dir, { dir, prefix: relative(this.spool, dir), recordingKey: key, open: false, uploaded: new Set() })
        this.log(`recording spool: found part ${partId} of ${key} left by an earlier run; uploading it`)
      }
    }
  }

  /** One pass over every part; concurrent callers share it. */
  scan() {
    this.#scanning ??= this.#scan().finally(() => (this.#scanning = null))
    return this.#scanning
  }

  async #scan() {
    for (const part of [...this.#parts.values()]) {
      try {
        await this.#uploadPart(part)
      } catch (error) {
        if (this.#errors++ % 30 === 0) this.log(`recording upload failed (will retry): ${(error as Error).message}`)
      }
    }
  }

  async #uploadPart(part: PartState) {
    const names = await readdir(part.dir).catch(() => null)
    if (!names) return void this.#parts.delete(part.dir)
    const segments = names.filter((n) => /^seg_\d+\.m4s$/.test(n)).sort()
    const put = async (name: string) => {
      await this.disk.put(`${part.prefix}/${name}`, await readFile(join(part.dir, name)))
      part.uploaded.add(name)
    }
    if (names.includes('part.json') && !part.uploaded.has('part.json')) await put('part.json')
    if (segments.length && names.includes('init.mp4') && !part.uploaded.has('init.mp4')) await put('init.mp4')
    for (const name of segments) {
      if (!part.uploaded.has('init.mp4')) break
      await put(name)
      await rm(join(part.dir, name), { force: true })
    }
    if (part.open) return
    // Closed (or orphaned) part: once nobody writes, drop unfinished segments and the folder.
    const latest = Math.max(0, ...(await Promise.all(names.map((n) => stat(join(part.dir, n)).then((s) => s.mtimeMs, () => 0)))))
    if (Date.now() - latest < ORPHAN_QUIET_MS && names.some((n) => n.endsWith('.tmp'))) return
    if ((await readdir(part.dir)).some((n) => /^seg_\d+\.m4s$/.test(n))) return
    await rm(part.dir, { recursive: true, force: true })
    this.#parts.delete(part.dir)
  }

  /** Resolves once every part of the recording is in storage (or after `timeoutMs`). */
  async flush(recordingKey: string, timeoutMs = 20_000) {
    const deadline = Date.now() + timeoutMs
    while (Date.now() < deadline) {
      await this.scan()
      if (![...this.#parts.values()].some((p) => p.recordingKey === recordingKey)) return true
      await new Promise((r) => setTimeout(r, 100))
    }
    return false
  }

  stop() {
    if (this.#timer) clearInterval(this.#timer)
  }
}
