/*
| Plain Node entry of the media sidecar (tests, bin/run_embedded.sh, process managers):
|   node --import=ts-node-maintained/register/esm app/media/sidecar/main.ts
| `node ace media:serve` runs the same code. No database, no web app boot.
*/
import { runSidecar } from '#app/media/sidecar/run'
import { takeCoverageOnSignal } from '#app/core/coverage_on_signal'

takeCoverageOnSignal()

try {
  await runSidecar()
} catch (error) {
  console.error(`media sidecar failed to start: ${(error as Error).message}`)
  process.exit(1)
}
