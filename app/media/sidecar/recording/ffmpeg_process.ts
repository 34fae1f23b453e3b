import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process'

/** An FFmpeg child whose last lines of stderr are kept for error messages. */
export interface FfmpegProcess {
  child: ChildProcess
  stderr(): string
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

/**
 * `onLine`: each line of stderr goes there first and is kept for error messages only when it
 * returns false (a decoder's per-frame showinfo lines are read, not kept).
 */
export function spawnFfmpeg(args: string[], stdio: StdioOptions = ['ignore', 'pipe', 'pipe'], onLine?: (line: string) => boolean): FfmpegProcess {
  const child = spawn(process.env.AULA_FFMPEG_PATH || 'ffmpeg', ['-hide_banner', '-nostdin', '-loglevel', 'error', ...args], { stdio })
  let tail = ''
  let partial = ''
  child.stderr?.on('data', (chunk: Buffer) => {
    if (!onLine) return void (tail = (tail + chunk.toString()).slice(-2000))
    const lines = (partial + chunk.toString()).split('\n')
    partial = lines.pop() ?? ''
    for (const line of lines) if (!onLine(line)) tail = (tail + line + '\n').slice(-2000)
  })
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }))
    child.once('error', () => resolve({ code: -1, signal: null }))
  })
  return { child, stderr: () => tail.trim(), exited }
}
