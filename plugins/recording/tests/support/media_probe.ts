import { execFile } from 'node:child_process'
import { promisify } from 'node:util'

const run = promisify(execFile)

export interface Probe {
  durationMs: number
  streams: { codec_type: string; codec_name: string; width?: number; height?: number }[]
  chapters: { startMs: number; endMs: number; title: string }[]
}

export async function ffprobe(path: string): Promise<Probe> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', '-show_chapters', path], { maxBuffer: 16 * 1024 * 1024 })
  const json = JSON.parse(stdout)
  return {
    durationMs: Math.round(Number(json.format.duration) * 1000),
    streams: json.streams,
    chapters: (json.chapters ?? []).map((c: any) => ({ startMs: Math.round(Number(c.start_time) * 1000), endMs: Math.round(Number(c.end_time) * 1000), title: c.tags?.title ?? '' })),
  }
}

/** The decoded frame at `seconds` as RGB24 of the given size (whole picture scaled). */
export async function frameAt(path: string, seconds: number, width = 1280, height = 720) {
  const { stdout } = await run('ffmpeg', ['-v', 'error', '-ss', String(seconds), '-i', path, '-frames:v', '1', '-s', `${width}x${height}`, '-pix_fmt', 'rgb24', '-f', 'rawvideo', '-'], {
    encoding: 'buffer',
    maxBuffer: 64 * 1024 * 1024,
  })
  return {
    width,
    height,
    data: stdout as Buffer,
    /** Mean colour of a rectangle. */
    mean(x: number, y: number, w: number, h: number) {
      const sum = [0, 0, 0]
      for (let row = y; row < y + h; row++) {
        for (let col = x; col < x + w; col++) {
          const i = (row * width + col) * 3
          sum[0] += (stdout as Buffer)[i]
          sum[1] += (stdout as Buffer)[i + 1]
          sum[2] += (stdout as Buffer)[i + 2]
        }
      }
      return sum.map((s) => s / (w * h)) as [number, number, number]
    },
    /** How many pixels of a rectangle are close to an RGB colour. */
    count(x: number, y: number, w: number, h: number, rgb: [number, number, number], tolerance = 40) {
      let n = 0
      for (let row = y; row < y + h; row++) {
        for (let col = x; col < x + w; col++) {
          const i = (row * width + col) * 3
          const d = Math.abs((stdout as Buffer)[i] - rgb[0]) + Math.abs((stdout as Buffer)[i + 1] - rgb[1]) + Math.abs((stdout as Buffer)[i + 2] - rgb[2])
          if (d <= tolerance) n++
        }
      }
      return n
    },
  }
}

/**
 * Onsets of flashes (mean luma of a region jumps above half) and beeps (10 ms RMS above a
 * threshold) in a recording, in ms. Used to measure A/V sync against startFlashBeepSource.
 */
export async function flashesAndBeeps(path: string, region: { x: number; y: number; w: number; h: number }) {
  const { stdout: video } = await run(
    'ffmpeg',
    ['-v', 'error', '-i', path, '-map', '0:v', '-vf', `crop=${region.w}:${region.h}:${region.x}:${region.y},scale=8:8,format=gray`, '-fps_mode', 'passthrough', '-f', 'rawvideo', '-'],
    { encoding: 'buffer', maxBuffer: 256 * 1024 * 1024 }
  )
  const { stdout: frameTimes } = await run('ffprobe', ['-v', 'error', '-select_streams', 'v', '-show_entries', 'frame=pts_time', '-of', 'csv=p=0', path], { maxBuffer: 64 * 1024 * 1024 })
  // One line per frame; frames with side data (x264's SEI at the start of every part) add a field
  // and an empty line, which must not shift the following frames' times.
  const times = frameTimes
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => Number.parseFloat(line.split(',')[0]) * 1000)
  const flashes: number[] = []
  let bright = false
  for (let f = 0; f * 64 < (video as Buffer).length && f < times.length; f++) {
    let sum = 0
    for (let i = 0; i < 64; i++) sum += (video as Buffer)[f * 64 + i]
    const now = sum / 64 > 128
    if (now && !bright) flashes.push(times[f])
    bright = now
  }
  const { stdout: audio } = await run('ffmpeg', ['-v', 'error', '-i', path, '-map', '0:a', '-ac', '1', '-ar', '8000', '-f', 's16le', '-'], {
    encoding: 'buffer',
    maxBuffer: 256 * 1024 * 1024,
  })
  const samples = new Int16Array((audio as Buffer).buffer, (audio as Buffer).byteOffset, (audio as Buffer).length >> 1)
  const beeps: number[] = []
  let loud = false
  for (let start = 0; start + 80 <= samples.length; start += 80) {
    let energy = 0
    for (let i = start; i < start + 80; i++) energy += samples[i] * samples[i]
    const now = Math.sqrt(energy / 80) > 3000
    if (now && !loud) beeps.push((start / 8000) * 1000)
    loud = now
  }
  return { flashes, beeps }
}

/** For each flash, the nearest beep's offset (beep − flash, ms), when one is within 400 ms. */
export function avOffsets(flashes: number[], beeps: number[]) {
  const offsets: { at: number; offset: number }[] = []
  for (const flash of flashes) {
    const nearest = beeps.reduce((best, beep) => (Math.abs(beep - flash) < Math.abs(best - flash) ? beep : best), Number.POSITIVE_INFINITY)
    if (Math.abs(nearest - flash) <= 400) offsets.push({ at: flash, offset: nearest - flash })
  }
  return offsets
}
