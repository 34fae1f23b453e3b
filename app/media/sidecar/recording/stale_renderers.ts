import { readdir, readFile } from 'node:fs/promises'

/**
 * The command-line flag that marks the board renderer's Chromium of one spool (Chromium ignores
 * switches it does not know). A sidecar SIGKILLed mid-class cannot close its renderer, and
 * Playwright starts Chromium as the leader of its own process group, so nothing else ends it.
 */
export const rendererMarker = (cacheDir: string) => `--aula-board-renderer=${cacheDir}`

/** Pids of the processes that have `argument` as one of their command-line arguments (Linux /proc; none elsewhere). */
export async function pidsWithArgument(argument: string): Promise<number[]> {
  const entries = await readdir('/proc').catch(() => [] as string[])
  const pids: number[] = []
  for (const entry of entries) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue
    const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '')
    if (cmdline.split('\0').includes(argument)) pids.push(Number(entry))
  }
  return pids
}

/** Parent pid of a process, from /proc (null once it is gone). */
async function parentOf(pid: number): Promise<number | null> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null)
  return stat === null ? null : Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
}

/** The pid of this process's own board renderer of `cacheDir` (Playwright's Browser does not tell it). */
export async function ownRendererPid(cacheDir: string): Promise<number | null> {
  for (const pid of await pidsWithArgument(rendererMarker(cacheDir))) {
    if ((await parentOf(pid)) === process.pid) return pid
  }
  return null
}

/**
 * Kills the board renderers a previous sidecar of the same spool left running (run at sidecar
 * start, before this sidecar starts its own): each Chromium with its process group — its zygote,
 * GPU and renderer processes. Returns the pids it killed.
 */
export async function killStaleRenderers(cacheDir: string, log: (message: string) => void): Promise<number[]> {
  const pids = await pidsWithArgument(rendererMarker(cacheDir))
  for (const pid of pids) {
    try {
      process.kill(-pid, 'SIGKILL')
    } catch {
      // Not a group leader (started some other way): the process alone.
      try {
        process.kill(pid, 'SIGKILL')
      } catch {}
    }
  }
  if (pids.length) log(`board renderer: killed ${pids.length} Chromium left by an earlier sidecar (${pids.join(', ')})`)
  return pids
}
