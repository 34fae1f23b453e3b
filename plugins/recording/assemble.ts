/*
| Turns a recording's parts in storage into one MP4: each part's init.mp4 + 2 s segments are
| concatenated into a fragmented MP4, the parts are joined with FFmpeg's concat demuxer (stream
| copy, no re-encode), chapters are written from an ffmetadata file and the index is moved to the
| front (faststart). Chapter times are wall-clock marks mapped onto the joined timeline: a part
| starts where the previous one ended, so the seconds lost between two parts are skipped.
*/
import { execFile, spawn } from 'node:child_process'
import { createWriteStream } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { once } from 'node:events'
import { promisify } from 'node:util'
import type { Disk } from 'flydrive'

const run = promisify(execFile)

export interface ChapterMark {
  /** Wall-clock ms. */
  at: number
  title: string
}

export interface StoredPart {
  partId: string
  startedAt: number
  init: string
  segments: string[]
}

export interface AssembledPart {
  partId: string
  startedAt: number
  /** Where it starts in the joined file (ms). */
  offsetMs: number
  durationMs: number
}

export interface TimedChapter {
  startMs: number
  endMs: number
  title: string
}

export const recordingPrefix = (recordingKey: string) => `recordings/${recordingKey}`

/** The parts of a recording found in storage, oldest first; parts without init or segments are skipped. */
export async function storedParts(disk: Disk, recordingKey: string): Promise<StoredPart[]> {
  const prefix = `${recordingPrefix(recordingKey)}/parts`
  const byPart = new Map<string, { json?: string; init?: string; segments: string[] }>()
  const listing = await disk.listAll(prefix, { recursive: true })
  for (const object of listing.objects) {
    if (!object.isFile) continue
    const match = /parts\/([^/]+)\/([^/]+)$/.exec(object.key)
    if (!match) continue
    const entry = byPart.get(match[1]) ?? { segments: [] }
    if (match[2] === 'part.json') entry.json = object.key
    else if (match[2] === 'init.mp4') entry.init = object.key
    else if (/^seg_\d+\.m4s$/.test(match[2])) entry.segments.push(object.key)
    byPart.set(match[1], entry)
  }
  const parts: StoredPart[] = []
  for (const [partId, entry] of byPart) {
    if (!entry.json || !entry.init || !entry.segments.length) continue
    const info = JSON.parse(await disk.get(entry.json)) as { startedAt: number }
    parts.push({ partId, startedAt: info.startedAt, init: entry.init, segments: entry.segments.sort() })
  }
  return parts.sort((a, b) => a.startedAt - b.startedAt)
}

/** init.mp4 followed by every segment: one playable fragmented MP4 per part. Downloads 8 objects at a time. */
async function writePartFile(disk: Disk, part: StoredPart, path: string) {
  const out = createWriteStream(path)
  const keys = [part.init, ...part.segments]
  const window: Promise<Uint8Array>[] = []
  let next = 0
  const fill = () => {
    while (window.length < 8 && next < keys.length) window.push(disk.getBytes(keys[next++]))
  }
  fill()
  while (window.length) {
    const bytes = await window.shift()!
    fill()
    if (!out.write(bytes)) await once(out, 'drain')
  }
  out.end()
  await once(out, 'finish')
}

export async function probeDurationMs(path: string) {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', path])
  return Math.round(Number.parseFloat(stdout.trim()) * 1000)
}

/** Wall-clock chapter marks → times in the joined file; marks closer than 1 s keep the later title. */
export function placeChapters(marks: ChapterMark[], parts: AssembledPart[], totalMs: number): TimedChapter[] {
  const place = (at: number) => {
    for (const part of parts) {
      if (at < part.startedAt) return part.offsetMs
      if (at < part.startedAt + part.durationMs) return part.offsetMs + (at - part.startedAt)
    }
    return totalMs
  }
  const starts: { startMs: number; title: string }[] = []
  for (const mark of [...marks].sort((a, b) => a.at - b.at)) {
    const startMs = Math.max(0, Math.min(place(mark.at), totalMs))
    if (startMs >= totalMs) continue
    const last = starts.at(-1)
    if (last && startMs - last.startMs < 1000) starts[starts.length - 1] = { startMs: last.startMs, title: mark.title }
    else starts.push({ startMs, title: mark.title })
  }
  if (starts.length && starts[0].startMs > 0) starts[0].startMs = 0
  return starts.map((c, i) => ({ ...c, endMs: starts[i + 1]?.startMs ?? totalMs }))
}

const metaEscape = (text: string) => text.replace(/[\\=;#\n]/g, (c) => (c === '\n' ? ' ' : `\\${c}`))

export function ffmetadata(chapters: TimedChapter[], title: string) {
  const lines = [';FFMETADATA1', `title=${metaEscape(title)}`]
  for (const chapter of chapters) {
    lines.push('[CHAPTER]', 'TIMEBASE=1/1000', `START=${chapter.startMs}`, `END=${chapter.endMs}`, `title=${metaEscape(chapter.title)}`)
  }
  return lines.join('\n') + '\n'
}

const vttTime = (ms: number) => {
  const h = Math.floor(ms / 3_600_000)
  const m = Math.floor((ms % 3_600_000) / 60_000)
  const s = Math.floor((ms % 60_000) / 1000)
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}.${String(ms % 1000).padStart(3, '0')}`
}

/** A WebVTT chapters track (kind="chapters"). */
export function webVttChapters(chapters: TimedChapter[]) {
  const cues = chapters.map((c, i) => `${i + 1}\n${vttTime(c.startMs)} --> ${vttTime(c.endMs)}\n${c.title.replace(/-->/g, '→').replace(/\n/g, ' ')}`)
  return ['WEBVTT', '', ...cues.flatMap((cue) => [cue, ''])].join('\n')
}

function ffmpeg(args: string[]) {
  return new Promise<void>((resolve, reject) => {
    const child = spawn('ffmpeg', ['-hide_banner', '-nostdin', '-loglevel', 'error', '-y', ...args], { stdio: ['ignore', 'ignore', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-2000)))
    child.once('error', reject)
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`FFmpeg could not join the parts: ${stderr.trim().split('\n').at(-1) ?? code}`))))
  })
}

export class NothingRecordedError extends Error {}

export const NOTHING_RECORDED = 'Nothing was recorded: no part of this class reached storage'

/** What the UI says about a failed recording, in the user's language: a kind it has a sentence for (the reason itself is the pipeline's English, for support). */
export function failureKindOf(reason: string | null): 'nothing_recorded' | 'not_assembled' | null {
  if (reason === null) return null
  return reason.startsWith(NOTHING_RECORDED) ? 'nothing_recorded' : 'not_assembled'
}

/** Builds `<workDir>/recording.mp4` (+ chapters) from the recording's parts in storage. */
export async function assembleRecording(options: { disk: Disk; recordingKey: string; title: string; marks: ChapterMark[]; workDir: string }) {
  const { disk, recordingKey, workDir } = options
  await mkdir(workDir, { recursive: true })
  const stored = await storedParts(disk, recordingKey)
  if (!stored.length) throw new NothingRecordedError(NOTHING_RECORDED)
  const parts: AssembledPart[] = []
  const list: string[] = []
  let offsetMs = 0
  for (const [index, part] of stored.entries()) {
    const path = join(workDir, `part-${index}.mp4`)
    await writePartFile(disk, part, path)
    const durationMs = await probeDurationMs(path).catch(() => 0)
    if (!durationMs) continue
    parts.push({ partId: part.partId, startedAt: part.startedAt, offsetMs, durationMs })
    list.push(`file '${path.replace(/'/g, "'\\''")}'`)
    offsetMs += durationMs
  }
  if (!parts.length) throw new NothingRecordedError('Nothing playable was recorded')
  const chapters = placeChapters(options.marks, parts, offsetMs)
  await writeFile(join(workDir, 'parts.txt'), list.join('\n') + '\n')
  await writeFile(join(workDir, 'chapters.txt'), ffmetadata(chapters, options.title))
  const mp4 = join(workDir, 'recording.mp4')
  await ffmpeg([
    '-f', 'concat', '-safe', '0', '-i', join(workDir, 'parts.txt'),
    '-i', join(workDir, 'chapters.txt'),
    '-map', '0', '-map_metadata', '1', '-map_chapters', '1',
    '-c', 'copy', '-movflags', '+faststart', mp4,
  ])
  return { mp4, durationMs: await probeDurationMs(mp4), parts, chapters, vtt: webVttChapters(chapters) }
}
