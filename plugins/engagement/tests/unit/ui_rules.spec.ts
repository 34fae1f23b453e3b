import { test } from '@japa/runner'
import { rebalance, SIGNAL_KEYS, type WeightMap } from '../../ui/weights.js'
import { orderRows } from '../../ui/heatmap.js'

const sum = (w: WeightMap) => SIGNAL_KEYS.reduce((s, k) => s + w[k], 0)
const even: WeightMap = { camera: 20, quiz: 20, chat: 20, whiteboard: 20, attendance: 20 }

test.group('Engagement UI rules', () => {
  test('moving one slider keeps the five weights whole numbers summing to 100', ({ assert }) => {
    const next = rebalance(even, 'camera', 40)
    assert.equal(next.camera, 40)
    assert.deepEqual([next.quiz, next.chat, next.whiteboard, next.attendance], [15, 15, 15, 15])
    assert.deepEqual(rebalance(even, 'chat', 100), { camera: 0, quiz: 0, chat: 100, whiteboard: 0, attendance: 0 })
    // From everything on one signal, lowering it shares the rest evenly.
    const back = rebalance({ camera: 0, quiz: 0, chat: 100, whiteboard: 0, attendance: 0 }, 'chat', 33)
    assert.equal(sum(back), 100)
    assert.deepEqual([back.camera, back.quiz, back.whiteboard, back.attendance].sort(), [16, 17, 17, 17])
    for (const [key, value] of [['quiz', 7], ['whiteboard', 99], ['attendance', -5], ['camera', 33.6]] as const) {
      const w = rebalance({ camera: 13, quiz: 27, chat: 9, whiteboard: 40, attendance: 11 }, key, value)
      assert.equal(sum(w), 100, `${key}=${value}`)
      assert.isTrue(SIGNAL_KEYS.every((k) => Number.isInteger(w[k]) && w[k] >= 0))
    }
  })

  test('drifting students come first, then the lowest scores', ({ assert }) => {
    const rows = orderRows({
      names: { 1: 'Ann', 2: 'Ben', 3: 'Cem', 4: 'Dia' },
      rows: [
        [1, 80, 0, null, null, null, null, null],
        [2, 30, -2, null, null, null, null, null],
        [3, 50, -15, null, null, null, null, null],
        [4, 60, -25, null, null, null, null, null],
      ],
    } as any)
    assert.deepEqual(rows.map((r) => [r.name, r.drifting]), [['Dia', true], ['Cem', true], ['Ben', false], ['Ann', false]])
  })
})
