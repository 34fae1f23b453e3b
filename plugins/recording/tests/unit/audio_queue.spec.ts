import { test } from '@japa/runner'
import { TimedAudioQueue } from '#app/media/sidecar/recording/audio_queue'

const RATE = 48_000
const CHUNK = 960 // 20 ms, what the Opus decoder hands over
const DELAY = 200
/** A click every second, at 0.5 s, 1.5 s, …: where it comes out says how late the sound plays. */
const MARK_EVERY = RATE
const MARK_AT = RATE / 2

/** Deterministic jitter (a linear congruential generator). */
function random(seed: number) {
  let state = seed
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31
    return state / 2 ** 31
  }
}

/**
 * A microphone captured from time 0 whose 20 ms chunks reach the queue `arrival(chunk)` ms after
 * their last sample was captured (null: lost), played by ticks of about 33 ms (some late) that take
 * every sample due on the part's clock. Returns, for each click that was played, when it was
 * captured and how much later it was played.
 */
function play(durationMs: number, arrival: (chunk: number) => number | null, options: { lateTicks?: boolean } = {}) {
  const queue = new TimedAudioQueue(RATE)
  const arrivals: { at: number; data: Buffer }[] = []
  for (let c = 0; (c + 1) * 20 <= durationMs; c++) {
    const delay = arrival(c)
    if (delay === null) continue
    const data = Buffer.alloc(CHUNK * 2)
    for (let i = 0; i < CHUNK; i++) if ((c * CHUNK + i) % MARK_EVERY === MARK_AT) data.writeInt16LE(30_000, i * 2)
    arrivals.push({ at: (c + 1) * 20 + delay, data })
  }
  arrivals.sort((a, b) => a.at - b.at)
  const rand = random(7)
  const output: Int16Array[] = []
  let written = 0
  let next = 0
  for (let now = 33; now < durationMs + 600; now += 33 + (options.lateTicks && rand() < 0.2 ? Math.round(rand() * 120) : 0)) {
    while (next < arrivals.length && arrivals[next].at <= now) {
      // The event loop hands the chunk over at its arrival, or at the tick when the host was busy.
      queue.push(arrivals[next].data, options.lateTicks ? Math.max(arrivals[next].at, now - 33) : arrivals[next].at)
      next++
    }
    const due = Math.floor((now * RATE) / 1000)
    output.push(queue.take(due - written, (written * 1000) / RATE, DELAY))
    written = due
  }
  const played: { capturedMs: number; lateMs: number }[] = []
  let index = 0
  for (const chunk of output) {
    for (let i = 0; i < chunk.length; i++, index++) {
      if (chunk[i] !== 30_000) continue
      const playedMs = (index * 1000) / RATE
      const capturedMs = Math.round(((Math.round((playedMs * RATE) / 1000 / MARK_EVERY - 0.5) * MARK_EVERY + MARK_AT) * 1000) / RATE)
      played.push({ capturedMs, lateMs: playedMs - capturedMs })
    }
  }
  return played
}

test.group('Recording: sound played at its arrival time plus the pictures’ delay (TimedAudioQueue)', () => {
  test('jittery arrivals (5–45 ms) and late ticks: every click plays the same time after it was captured', ({ assert }) => {
    const rand = random(1)
    for (const lateTicks of [false, true]) {
      const played = play(10_000, () => 5 + rand() * 40, { lateTicks })
      assert.lengthOf(played, 10)
      for (const { lateMs } of played) assert.closeTo(lateMs, DELAY + 5, TimedAudioQueue.TOLERANCE_MS + 5, JSON.stringify(played))
    }
  })

  test('a decoder that stalls and then bursts: what came too late is dropped, the sound keeps its place', ({ assert }) => {
    // Chunks captured 1.4 s – 1.7 s come out together at 1.75 s.
    const played = play(8000, (c) => (c >= 70 && c < 85 ? 1750 - (c + 1) * 20 : 5))
    assert.isAtLeast(played.length, 7)
    for (const { capturedMs, lateMs } of played) assert.closeTo(lateMs, DELAY + 5, TimedAudioQueue.TOLERANCE_MS + 1, `click captured at ${capturedMs}`)
  })

  test('a decoder that starts late and is slow for a while: silence until its sound is due, then on time again', ({ assert }) => {
    // 40 ms at first, 150 ms slower during 2–3 s, then 40 ms again.
    const played = play(8000, (c) => (c >= 100 && c < 150 ? 190 : 40))
    for (const { capturedMs, lateMs } of played.filter((p) => p.capturedMs < 2000 || p.capturedMs > 3000 + TimedAudioQueue.WINDOW_MS)) {
      assert.closeTo(lateMs, DELAY + 40, TimedAudioQueue.TOLERANCE_MS + 1, `click captured at ${capturedMs}`)
    }
  })

  test('lost packets: the sound after them is back in place within the fitting window', ({ assert }) => {
    const played = play(8000, (c) => (c >= 100 && c < 105 ? null : 5))
    const after = played.filter((p) => p.capturedMs > 2100 + TimedAudioQueue.WINDOW_MS)
    assert.isAtLeast(after.length, 4)
    for (const { capturedMs, lateMs } of after) assert.closeTo(lateMs, DELAY + 5, TimedAudioQueue.TOLERANCE_MS + 1, `click captured at ${capturedMs}`)
  })
})
