import v8 from 'node:v8'

/**
 * Under `scripts/coverage.sh` (NODE_V8_COVERAGE set), a child process that a test will SIGKILL writes
 * its V8 coverage first when sent SIGUSR2, so the code it ran still counts. Nothing happens otherwise.
 */
export const COVERAGE_TAKEN_LINE = 'v8 coverage taken'

export function takeCoverageOnSignal() {
  if (!process.env.NODE_V8_COVERAGE) return
  process.on('SIGUSR2', () => {
    v8.takeCoverage()
    console.log(COVERAGE_TAKEN_LINE)
  })
}
