import type { ChildProcess } from 'node:child_process'
import { COVERAGE_TAKEN_LINE } from '#app/core/coverage_on_signal'
import { eventually } from '#tests/helpers/poll'

/**
 * Before a child process is SIGKILLed under coverage (NODE_V8_COVERAGE), ask it to write what it
 * covered (SIGUSR2, see app/core/coverage_on_signal.ts) and wait for its answer. Without coverage,
 * or for a process that already exited, nothing is sent: the kill stays exactly what the test asked.
 */
export async function flushCoverageBeforeKill(child: ChildProcess, output: () => string) {
  if (!process.env.NODE_V8_COVERAGE || child.exitCode !== null || child.signalCode !== null) return
  const before = output().split(COVERAGE_TAKEN_LINE).length
  child.kill('SIGUSR2')
  await eventually('the child wrote its coverage', () => output().split(COVERAGE_TAKEN_LINE).length > before, { timeoutMs: 5000, intervalMs: 20 }).catch(() => {})
}
