import { readdirSync, readFileSync } from 'node:fs'

/** A process and all its descendants (pids, root first), read from /proc. */
export function descendants(root: number): number[] {
  const children = new Map<number, number[]>()
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8')
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      children.set(ppid, [...(children.get(ppid) ?? []), Number(name)])
    } catch {}
  }
  const out: number[] = []
  const walk = (pid: number) => {
    out.push(pid)
    for (const child of children.get(pid) ?? []) walk(child)
  }
  walk(root)
  return out
}

/** SIGKILLs the given processes that still run (e.g. what a SIGKILLed parent left behind). */
export function killAll(pids: number[]) {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL')
    } catch {}
  }
}

/** Whether a process runs (exists and is not a zombie waiting for its parent). */
export function running(pid: number) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z'
  } catch {
    return false
  }
}
