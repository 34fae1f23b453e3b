import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'

const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100
  } catch {
    return 100
  }
})()

/** utime + stime of a process so far, in seconds, from /proc/<pid>/stat. */
export function cpuSeconds(pid: number) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK
}

/** Pins a process (all its threads) to the given CPUs with taskset; says 'unpinned' where taskset is missing. */
export function pin(pid: number, cpuList: string) {
  try {
    execFileSync('taskset', ['-a', '-c', '-p', cpuList, String(pid)], { stdio: 'ignore' })
    return cpuList
  } catch {
    return 'unpinned'
  }
}
