/*
| Attendance export benchmark (run on demand, not part of the test suite):
|
|   node --import=ts-node-maintained/register/esm bench/attendance/export.ts [--students=500] [--weeks=13] [--perWeek=3]
|
| Builds the records of one large course in memory (500 students, three months of three classes a
| week by default, statuses and minutes varied) and times the CSV, XLSX and PDF exports of
| plugins/attendance/reports.ts, with peak RSS and the longest event-loop stall during each
| (perf_hooks.monitorEventLoopDelay, 10 ms resolution). No database: it measures the export code.
| Writes bench/results/attendance-export-latest.json.
*/
import { mkdirSync, writeFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { toCsv, toPdf, toXlsx, type ReportInput } from '../../plugins/attendance/reports.js'
import type { RecordRow } from '../../plugins/attendance/store.js'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const args = new Map(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=') as [string, string]))
const num = (name: string, fallback: number) => (args.has(name) ? Number(args.get(name)) : fallback)
const students = num('students', 500)
const weeks = num('weeks', 13)
const perWeek = num('perWeek', 3)

const rows: RecordRow[] = []
const names = new Map<number, string>()
for (let u = 1; u <= students; u++) names.set(u, `Student ${u}`)
const classMs = 45 * 60_000
const start = Date.UTC(2026, 8, 1, 8)
for (let c = 0; c < weeks * perWeek; c++) {
  const endedAtMs = start + Math.floor(c / perWeek) * 7 * 86_400_000 + (c % perWeek) * 2 * 86_400_000 + classMs
  for (let u = 1; u <= students; u++) {
    const absent = (u * 31 + c * 17) % 11 === 0
    const active = absent ? 0 : Math.round(classMs * (0.4 + ((u * 7 + c * 3) % 13) / 21))
    const status = absent ? 'absent' : active < classMs * 0.2 ? 'inactive' : 'present'
    rows.push({ classSessionId: c + 1, schoolId: 1, courseId: 1, userId: u, endedAtMs, computedStatus: status, status, presentMs: absent ? 0 : classMs, activeMs: active, classMs, firstJoinMs: null, lastLeaveMs: null, overrideReason: null, overrideBy: null, overrideAtMs: null, title: `Class ${c + 1}` })
  }
}
const input: ReportInput = {
  title: 'Big course',
  period: { kind: 'monthly', key: 'bench', fromMs: start, toMs: start + weeks * 7 * 86_400_000, label: 'three months' },
  basis: 'active',
  rows,
  names,
  courses: new Map([[1, 'Big course']]),
  t: (key) => key.split('.').at(-1)!,
}

async function measure(name: string, run: () => Promise<string | Buffer>) {
  const delay = monitorEventLoopDelay({ resolution: 10 })
  let peakRss = process.memoryUsage().rss
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20)
  delay.enable()
  const began = performance.now()
  const out = await run()
  const ms = performance.now() - began
  await new Promise((resolve) => setTimeout(resolve, 30)) // let the monitor record the last stall
  delay.disable()
  clearInterval(sampler)
  peakRss = Math.max(peakRss, process.memoryUsage().rss)
  return { format: name, ms: Math.round(ms), bytes: Buffer.byteLength(out), peakRssMb: Math.round(peakRss / 1048576), maxLoopStallMs: Math.round(delay.max / 1e6) }
}

const results = []
for (const [name, run] of [['csv', () => toCsv(input)], ['xlsx', () => toXlsx(input)], ['pdf', () => toPdf(input)]] as const) {
  results.push(await measure(name, run))
  console.log(results.at(-1))
}
const report = { at: new Date().toISOString(), students, classes: weeks * perWeek, rows: rows.length, cpus: cpus().length, loadavg: loadavg(), results }
mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true })
writeFileSync(join(ROOT, 'bench', 'results', 'attendance-export-latest.json'), JSON.stringify(report, null, 2))
console.log(JSON.stringify({ rows: rows.length, loadavg: report.loadavg }))
