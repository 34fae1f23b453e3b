/*
| Simulated HLS viewers for bench/hls/run.ts, in a process of their own so that the bench can pin them
| to another core than the web process it measures (taskset):
|
|   node --import=ts-node-maintained/register/esm bench/hls/viewers.ts <baseUrl> <path> <cookie> <count>
|
| Each viewer does what hls.js does with a live playlist of 1 s segments: fetch the playlist every
| second, then the init segment and each segment it has not fetched yet (the newest two). Prints
| `{"requests":N,"failures":N,"bytes":N}` every 500 ms; stops on SIGTERM.
*/
const [baseUrl, path, cookie, countArg] = process.argv.slice(2)
const count = Number(countArg)
if (!baseUrl || !path || !cookie || !Number.isInteger(count) || count < 1) {
  console.error('usage: viewers.ts <baseUrl> <path> <cookie> <count>')
  process.exit(2)
}

let running = true
const totals = { requests: 0, failures: 0, bytes: 0 }
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Fetches one file of the stream; answers the playlist's text (empty when it failed). */
async function get(file: string) {
  const response = await fetch(`${baseUrl}${path}/${file}`, { headers: { cookie } })
  totals.requests++
  if (!response.ok) totals.failures++
  if (file.endsWith('.m3u8')) {
    const text = await response.text()
    totals.bytes += text.length
    return response.ok ? text : ''
  }
  totals.bytes += (await response.arrayBuffer()).byteLength
  return ''
}

async function viewer(offsetMs: number) {
  await sleep(offsetMs)
  const seen = new Set<string>()
  while (running) {
    const started = Date.now()
    try {
      const playlist = await get('live.m3u8')
      const segments = [...playlist.matchAll(/^(seg_\d+\.m4s)$/gm)].map((m) => m[1]).slice(-2)
      const init = /URI="([^"]+)"/.exec(playlist)?.[1]
      for (const file of [...(init ? [init] : []), ...segments]) {
        if (seen.has(file)) continue
        seen.add(file)
        await get(file)
      }
    } catch {
      totals.failures++
    }
    await sleep(Math.max(0, 1000 - (Date.now() - started)))
  }
}

const report = setInterval(() => console.log(JSON.stringify(totals)), 500)
const all = Array.from({ length: count }, (_, i) => viewer((i * 1000) / count))
process.once('SIGTERM', async () => {
  running = false
  await Promise.all(all)
  clearInterval(report)
  console.log(JSON.stringify(totals))
  process.exit(0)
})
