import { test } from '@japa/runner'
import { outcomeOf, presenceIntervals, rateOf, statusOf, type Mark, type StatusRules } from '../../rules.js'

const MIN = 60_000
const rules: StatusRules = { lateGraceMs: 5 * MIN, leftEarlyMs: 5 * MIN, reconnectGraceMs: 60_000, inactivePercent: 80 }
const START = 1_000_000_000_000
const END = START + 45 * MIN
const at = (minutes: number) => START + minutes * MIN
const m = (kind: Mark['kind'], minutes: number): Mark => ({ kind, atMs: at(minutes) })

test.group('Attendance rules: presence and status', () => {
  test('a reconnect within the grace period is one continuous presence', ({ assert }) => {
    const marks = [m('join', 0), m('leave', 10), m('join', 10.5), m('leave', 45)]
    assert.deepEqual(presenceIntervals(marks, START, END, 60_000), [{ fromMs: at(0), toMs: at(45) }])
    const o = outcomeOf(marks, START, END, rules)
    assert.equal(o.presentMs, 45 * MIN)
    assert.equal(o.status, 'present')
  })

  test('a reconnect after the grace period is two presences, the gap not counted', ({ assert }) => {
    const marks = [m('join', 0), m('leave', 10), m('join', 12), m('leave', 45)]
    assert.lengthOf(presenceIntervals(marks, START, END, 60_000), 2)
    assert.equal(outcomeOf(marks, START, END, rules).presentMs, 43 * MIN)
  })

  test('a second join while present (another tab, a dead process) changes nothing; open presence ends with the class', ({ assert }) => {
    const marks = [m('join', 1), m('join', 20)]
    assert.deepEqual(presenceIntervals(marks, START, END, 0), [{ fromMs: at(1), toMs: END }])
  })

  test('late: joined after start + grace', ({ assert }) => {
    assert.equal(outcomeOf([m('join', 6), m('leave', 45)], START, END, rules).status, 'late')
    assert.equal(outcomeOf([m('join', 4), m('leave', 45)], START, END, rules).status, 'present')
  })

  test('left early: gone before end - grace', ({ assert }) => {
    assert.equal(outcomeOf([m('join', 0), m('leave', 30)], START, END, rules).status, 'left_early')
    assert.equal(outcomeOf([m('join', 0), m('leave', 41)], START, END, rules).status, 'present')
  })

  test('inactive by hidden share: hidden 85 % is inactive, 50 % is not; hidden time is present but not active', ({ assert }) => {
    const hidden85 = [m('join', 0), m('hidden', 2), m('visible', 40.25), m('leave', 45)]
    const o = outcomeOf(hidden85, START, END, rules)
    assert.equal(o.presentMs, 45 * MIN)
    assert.equal(o.activeMs, 45 * MIN - 38.25 * MIN)
    assert.equal(o.status, 'inactive')
    const half = outcomeOf([m('join', 0), m('hidden', 10), m('visible', 32.5)], START, END, rules)
    assert.equal(half.status, 'present')
    assert.equal(half.activeMs, 22.5 * MIN)
  })

  test('hidden time while disconnected is not counted twice', ({ assert }) => {
    const marks = [m('join', 0), m('hidden', 10), m('leave', 20), m('join', 30), m('visible', 30)]
    const o = outcomeOf(marks, START, END, { ...rules, reconnectGraceMs: 0 })
    assert.equal(o.presentMs, 35 * MIN)
    assert.equal(o.activeMs, 25 * MIN)
  })

  test('a join starts visible: a hidden tab on a process that died does not stay hidden after the reconnect', ({ assert }) => {
    const marks = [m('join', 0), m('hidden', 5), m('join', 15)]
    const o = outcomeOf(marks, START, END, rules)
    assert.equal(o.presentMs, 45 * MIN)
    assert.equal(o.activeMs, 35 * MIN)
  })

  test('absent: enrolled and never joined', ({ assert }) => {
    const o = outcomeOf([], START, END, rules)
    assert.equal(o.status, 'absent')
    assert.equal(o.presentMs, 0)
    assert.equal(statusOf({ presentMs: 0, activeMs: 0, firstJoinMs: null, lastLeaveMs: null }, START, END, rules), 'absent')
  })

  test('rate: active or present minutes over class minutes; excused classes count neither way', ({ assert }) => {
    const rows = [
      { status: 'present' as const, presentMs: 45 * MIN, activeMs: 30 * MIN, classMs: 45 * MIN },
      { status: 'absent' as const, presentMs: 0, activeMs: 0, classMs: 45 * MIN },
      { status: 'excused' as const, presentMs: 0, activeMs: 0, classMs: 45 * MIN },
    ]
    assert.closeTo(rateOf(rows, 'active')!, 30 / 90, 1e-9)
    assert.closeTo(rateOf(rows, 'present')!, 45 / 90, 1e-9)
    assert.isNull(rateOf([rows[2]], 'active'))
  })
})
