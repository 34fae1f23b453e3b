import { test } from '@japa/runner'
import { CpuTrigger, type TriggerParams } from '#app/media/sidecar/hls/cpu_trigger'
import { WorkerTriggers } from '#app/media/sidecar/hls/worker_triggers'

/* The defaults: on at ≥ 70 % for 30 s, off again below 50 % for 60 s. */
const DEFAULTS: TriggerParams = { enterAt: 0.7, enterForMs: 30_000, leaveBelow: 0.5, leaveForMs: 60_000 }

/** Feeds one sample every 2 s from `from` (ms) for `seconds`, all at `cpu`; answers the time of the last one. */
function feed(trigger: CpuTrigger, from: number, seconds: number, cpu: number) {
  let at = from
  for (let t = 2000; t <= seconds * 1000; t += 2000) trigger.observe({ at: (at = from + t), cpu })
  return at
}

test.group('HLS trigger of a worker (threshold, window, hysteresis)', () => {
  test('turns on only after the CPU stayed at or above the threshold for the whole window', ({ assert }) => {
    const trigger = new CpuTrigger(DEFAULTS)
    trigger.observe({ at: 0, cpu: 0.1 })
    let at = feed(trigger, 0, 28, 0.7)
    assert.isFalse(trigger.active, '28 s at 70 % is not yet 30 s')
    trigger.observe({ at: (at += 2000), cpu: 0.95 })
    assert.isTrue(trigger.active, '30 s at ≥ 70 %')
    assert.equal(trigger.changedAt, 30_000)
  })

  test('a dip below the threshold restarts the window', ({ assert }) => {
    const trigger = new CpuTrigger(DEFAULTS)
    trigger.observe({ at: 0, cpu: 0.9 })
    let at = feed(trigger, 0, 20, 0.9)
    trigger.observe({ at: (at += 2000), cpu: 0.69 })
    at = feed(trigger, at, 28, 0.9)
    assert.isFalse(trigger.active, 'only 28 s since the dip')
    feed(trigger, at, 2, 0.9)
    assert.isTrue(trigger.active)
  })

  test('hysteresis: stays on between the two thresholds, and leaves only after the leave window below 50 %', ({ assert }) => {
    const trigger = new CpuTrigger(DEFAULTS)
    trigger.observe({ at: 0, cpu: 0.8 })
    let at = feed(trigger, 0, 30, 0.8)
    assert.isTrue(trigger.active)
    at = feed(trigger, at, 300, 0.6)
    assert.isTrue(trigger.active, '60 % is under the entry threshold but not under the exit one')
    at = feed(trigger, at, 58, 0.3)
    assert.isTrue(trigger.active, '58 s below 50 % is not yet 60 s')
    trigger.observe({ at: (at += 2000), cpu: 0.49 })
    assert.isFalse(trigger.active)
    at = feed(trigger, at, 28, 0.69)
    assert.isFalse(trigger.active, '69 % does not start a new entry run')
  })

  test('a gap in the samples breaks a run (nothing was measured in between)', ({ assert }) => {
    const trigger = new CpuTrigger(DEFAULTS)
    trigger.observe({ at: 0, cpu: 0.9 })
    feed(trigger, 0, 16, 0.9)
    trigger.observe({ at: 16_000 + 60_000, cpu: 0.9 })
    assert.isFalse(trigger.active)
    feed(trigger, 76_000, 30, 0.9)
    assert.isTrue(trigger.active)
  })

  test('zero windows follow each sample at once (the test settings force the trigger this way)', ({ assert }) => {
    const trigger = new CpuTrigger({ enterAt: 0.5, enterForMs: 0, leaveBelow: 0.5, leaveForMs: 0 })
    trigger.observe({ at: 1, cpu: 0.6 })
    assert.isTrue(trigger.active)
    trigger.observe({ at: 2, cpu: 0.4 })
    assert.isFalse(trigger.active)
  })
})

test.group('HLS triggers of a sidecar’s workers', () => {
  test('per worker, from the injected clock; a trigger asked for the first time replays the history', ({ assert }) => {
    let now = 0
    const triggers = new WorkerTriggers(() => now)
    for (let i = 0; i <= 16; i++) {
      now = i * 2000
      triggers.record([
        { index: 0, cpu: 0.9 },
        { index: 1, cpu: 0.2 },
      ])
    }
    assert.deepInclude(triggers.state(0, DEFAULTS), { active: true, cpu: 0.9 }, '32 s of history at 90 %')
    assert.deepInclude(triggers.state(1, DEFAULTS), { active: false, cpu: 0.2 })
    assert.isFalse(triggers.state(0, { ...DEFAULTS, enterForMs: 60_000 }).active, 'a school with a 60 s window')
    for (let i = 17; i <= 47; i++) {
      now = i * 2000
      triggers.record([
        { index: 0, cpu: 0.1 },
        { index: 1, cpu: 0.1 },
      ])
    }
    assert.isFalse(triggers.state(0, DEFAULTS).active, '62 s below 50 %')
  })

  test('the test override replaces measured samples', ({ assert }) => {
    let now = 0
    const triggers = new WorkerTriggers(() => now)
    triggers.override = 1
    triggers.record([{ index: 0, cpu: 0 }])
    now = 2000
    triggers.record([{ index: 0, cpu: 0 }])
    assert.deepInclude(triggers.state(0, { ...DEFAULTS, enterForMs: 2000 }), { active: true, cpu: 1 })
    triggers.override = null
    now = 4000
    triggers.record([{ index: 0, cpu: 0 }])
    assert.equal(triggers.state(0, DEFAULTS).cpu, 0)
  })
})
