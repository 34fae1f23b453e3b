import { mkdirSync, utimesSync, writeFileSync } from 'node:fs'
import { join as joinPath } from 'node:path'

/**
 * A class's HLS stream as the encoder leaves it in the sidecar's spool (playlist, init, two segments),
 * its playlist touched every second like a live one, so the sidecar reports the stream available.
 * For the routing and access rules, which do not depend on what the segments hold. `stop` ends the touching.
 */
export function writeLiveStream(spool: string, sessionId: number) {
  const dir = joinPath(spool, 'hls', `s${sessionId}_main`)
  mkdirSync(dir, { recursive: true })
  writeFileSync(joinPath(dir, 'init_part1.mp4'), Buffer.from('init of part 1'))
  for (const n of [100, 101]) writeFileSync(joinPath(dir, `seg_${n}.m4s`), Buffer.from(`segment ${n}`))
  writeFileSync(joinPath(dir, 'other.txt'), 'not a stream file')
  const playlist = '#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXT-X-MEDIA-SEQUENCE:100\n#EXT-X-MAP:URI="init_part1.mp4"\n#EXTINF:1.0,\nseg_100.m4s\n#EXTINF:1.0,\nseg_101.m4s\n'
  writeFileSync(joinPath(dir, 'live.m3u8'), playlist)
  const timer = setInterval(() => utimesSync(joinPath(dir, 'live.m3u8'), new Date(), new Date()), 1000)
  return { stop: () => clearInterval(timer), dir }
}
