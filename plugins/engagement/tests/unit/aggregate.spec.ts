import { test } from '@japa/runner'
import { emptyContribution, mergeStudent, toggle } from '../../aggregate.js'
import { groupContributions, scoreClass } from '../../scoring.js'
import { riskOf } from '../../at_risk.js'

const all = { camera: true, quiz: true, chat: true, whiteboard: true, attendance: true }

test.group('Engagement aggregates', () => {
  test('camera and presence intervals add up; open ones run until the given time', ({ assert }) => {
    const c = emptyContribution()
    toggle(c, 'pres', true, 0)
    toggle(c, 'cam', true, 10_000)
    toggle(c, 'cam', true, 15_000) // a second "on" keeps the first start
    toggle(c, 'cam', false, 40_000)
    toggle(c, 'cam', false, 50_000) // a second "off" adds nothing
    toggle(c, 'cam', true, 50_000)
    const raw = mergeStudent([c], 60_000)
    assert.equal(raw.cameraOnMs, 30_000 + 10_000)
    assert.equal(raw.presentMs, 60_000)
  })

  test('contributions of several processes add up; attendance overrides live presence, the latest wins', ({ assert }) => {
    const a = { ...emptyContribution(), chat: 2, wb: 3, presMs: 1000, answers: { q: 4000 } }
    const b = {
      ...emptyContribution(),
      chat: 1,
      answers: { q: 3000 },
      att: { activeMs: 5, classMs: 10, presentMs: 7000, status: 'present', at: 2 },
    }
    const c = { ...emptyContribution(), att: { activeMs: 1, classMs: 10, presentMs: 9000, status: 'late', at: 1 } }
    const raw = mergeStudent([a, b, c], 0)
    assert.equal(raw.chatMessages, 3)
    assert.equal(raw.whiteboardEdits, 3)
    assert.equal(raw.answers.q, 3000)
    assert.deepEqual(raw.attendance, { activeMs: 5, classMs: 10, status: 'present' })
    assert.equal(raw.presentMs, 7000)
  })

  test('a weight change is a recompute of the same raw aggregates', ({ assert }) => {
    const rows = [
      { userId: 0, data: { v: 1, opened: ['q'], closed: ['q'] } },
      { userId: 7, data: { ...emptyContribution(), chat: 5 } },
      { userId: 8, data: { ...emptyContribution(), wb: 20, answers: { q: 900 } } },
    ]
    const grouped = groupContributions(rows)
    const chatHeavy = scoreClass(grouped, [7, 8, 9], 0, { camera: 0, quiz: 0, chat: 100, whiteboard: 0, attendance: 0 }, all)
    const boardHeavy = scoreClass(grouped, [7, 8, 9], 0, { camera: 0, quiz: 50, chat: 0, whiteboard: 50, attendance: 0 }, all)
    assert.deepEqual([7, 8, 9].map((id) => chatHeavy.get(id)!.score), [100, 0, 0])
    assert.deepEqual([7, 8, 9].map((id) => boardHeavy.get(id)!.score), [0, 100, 0])
  })
})

test.group('Engagement at-risk rule', () => {
  test('low when the mean is under the threshold, falling when the trend drops', ({ assert }) => {
    assert.include(riskOf([30, 35, null, 38], 40), { low: true, falling: false, atRisk: true, mean: 34.3 })
    assert.include(riskOf([90, 80, 70, 60], 40), { low: false, falling: true, atRisk: true })
    assert.include(riskOf([60, 62, 61], 40), { low: false, falling: false, atRisk: false })
    assert.include(riskOf([90, 50], 40), { falling: false })
    assert.include(riskOf([null], 40), { atRisk: false, mean: null })
  })
})
