import { readFile, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'

/** The sidecar's folder of a room's live HLS stream (`s12:main` → `<root>/s12_main`). */
export const hlsDirOf = (root: string, roomKey: string) => join(root, roomKey.replace(/[^\w-]/g, '_'))

/** The only names a stream folder holds: the playlist, one init segment per part, 1 s media segments. */
export const HLS_FILE = /^(live\.m3u8|init_[\w-]{1,40}\.mp4|seg_\d{1,12}\.m4s)$/

export const contentTypeOf = (file: string) =>
  file.endsWith('.m3u8') ? 'application/vnd.apple.mpegurl' : file.endsWith('.mp4') ? 'video/mp4' : 'video/iso.segment'

/** A playlist not rewritten for this long means the encoder stopped: the stream is not offered to new joiners. */
export const STALE_PLAYLIST_MS = 5000

export async function playlistFresh(dir: string, now = Date.now()) {
  try {
    return now - (await stat(join(dir, 'live.m3u8'))).mtimeMs < STALE_PLAYLIST_MS
  } catch {
    return false
  }
}

/** A file of the stream, or null when it is not (or no longer) there. */
export async function readHlsFile(dir: string, file: string) {
  if (!HLS_FILE.test(file)) return null
  try {
    return await readFile(join(dir, file))
  } catch {
    return null
  }
}

export const removeHlsDir = (dir: string) => rm(dir, { recursive: true, force: true })
