/*
| Preloaded into the bench's app processes (NODE_OPTIONS=--require): their event-loop delay
| during the drawing. SIGUSR2 starts the histogram, SIGUSR1 stops it and writes
| { p50, p99, max } in ms to $BENCH_LOOP_DELAY_DIR/<pid>.json.
*/
const { monitorEventLoopDelay } = require('node:perf_hooks')
const { writeFileSync } = require('node:fs')
const { join } = require('node:path')

const histogram = monitorEventLoopDelay({ resolution: 5 })
const ms = (ns) => Math.round(ns / 1e4) / 100
process.on('SIGUSR2', () => {
  histogram.reset()
  histogram.enable()
})
process.on('SIGUSR1', () => {
  histogram.disable()
  const figures = { p50: ms(histogram.percentile(50)), p99: ms(histogram.percentile(99)), max: ms(histogram.max) }
  writeFileSync(join(process.env.BENCH_LOOP_DELAY_DIR, `${process.pid}.json`), JSON.stringify(figures))
})
