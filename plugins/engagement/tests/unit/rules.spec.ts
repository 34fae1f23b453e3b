import { test } from '@japa/runner'
import {
  CHAT_CAP,
  WHITEBOARD_CAP,
  cameraValue,
  chatValue,
  questionValue,
  quizValue,
  scoreOf,
  validWeights,
  whiteboardValue,
  attendanceValue,
  type StudentRaw,
} from '../../rules.js'

const raw = (over: Partial<StudentRaw> = {}): StudentRaw => ({
  cameraOnMs: 0,
  presentMs: 0,
  answers: {},
  chatMessages: 0,
  whiteboardEdits: 0,
  attendance: null,
  ...over,
})
const all = { camera: true, quiz: true, chat: true, whiteboard: true, attendance: true }
const even = { camera: 20, quiz: 20, chat: 20, whiteboard: 20, attendance: 20 }
const noQuiz = { closed: [], times: {} }

test.group('Engagement rules: normalisation', () => {
  test('camera is the share of the present time, 0 when never present', ({ assert }) => {
    assert.equal(cameraValue(raw({ cameraOnMs: 30_000, presentMs: 60_000 })), 0.5)
    assert.equal(cameraValue(raw({ cameraOnMs: 90_000, presentMs: 60_000 })), 1)
    assert.equal(cameraValue(raw({ cameraOnMs: 5000, presentMs: 0 })), 0)
  })

  test('chat and whiteboard count up to their absolute caps', ({ assert }) => {
    assert.equal(chatValue(raw({ chatMessages: 2 })), 2 / CHAT_CAP)
    assert.equal(chatValue(raw({ chatMessages: CHAT_CAP * 3 })), 1)
    assert.equal(whiteboardValue(raw({ whiteboardEdits: 5 })), 5 / WHITEBOARD_CAP)
    assert.equal(whiteboardValue(raw({ whiteboardEdits: 1000 })), 1)
  })

  test('attendance is the active share of the class', ({ assert }) => {
    assert.equal(attendanceValue({ activeMs: 1800_000, classMs: 2700_000, status: 'present' }), 2 / 3)
    assert.equal(attendanceValue({ activeMs: 10, classMs: 0, status: 'absent' }), 0)
  })

  test('a question: unanswered 0, at or under the class median 1, slower median/time with a floor of 0.5', ({ assert }) => {
    const times = [2000, 4000, 6000]
    assert.equal(questionValue(undefined, times), 0)
    assert.equal(questionValue(2000, times), 1)
    assert.equal(questionValue(4000, times), 1)
    assert.equal(questionValue(6000, times), 4000 / 6000)
    assert.equal(questionValue(60_000, times), 0.5)
  })

  test('quiz is the mean over answered or closed questions; none at all is no data', ({ assert }) => {
    const quiz = { closed: ['q1', 'q2'], times: { q1: [1000, 3000], q3: [500] } }
    // q1 answered slowest (median 2000 / 3000), q2 closed unanswered (0), q3 open but answered (1).
    const value = quizValue(raw({ answers: { q1: 3000, q3: 500 } }), quiz).value!
    assert.closeTo(value, (2000 / 3000 + 0 + 1) / 3, 1e-9)
    assert.isNull(quizValue(raw(), noQuiz).value)
  })

  test('scoring a class reads each question\'s answer times once, not once per student', ({ assert }) => {
    // A tick scores every student of the class against the same quiz facts; the class median of a
    // question must be worked out once, or a tick grows with the square of the class size.
    const students = 200
    let reads = 0
    const counted = (times: number[]) =>
      new Proxy(times, {
        get(target, property, receiver) {
          if (typeof property === 'string' && /^\d+$/.test(property)) reads++
          return Reflect.get(target, property, receiver)
        },
      })
    const times = Array.from({ length: students }, (_, i) => 1000 + i * 10)
    const quiz = { closed: ['q1', 'q2'], times: { q1: counted(times), q2: counted(times.slice(0, 100)) } }
    const values = times.map((ms) => quizValue(raw({ answers: { q1: ms, q2: ms } }), quiz).value!)
    assert.equal(values[0], 1, 'the fastest answers score 1')
    // Median of q1 is 1995 and of q2 1495: the slowest student gets 1995/2990 and 1495/2990, floored at 0.5.
    assert.closeTo(values[students - 1], (1995 / 2990 + 0.5) / 2, 1e-9)
    assert.isAtMost(reads, 2 * (students + 100), `answer times read ${reads} times for ${students} students`)
  })
})

test.group('Engagement rules: the weighted score', () => {
  test('is the weighted sum × 100', ({ assert }) => {
    const r = raw({
      cameraOnMs: 60_000,
      presentMs: 60_000,
      answers: { q: 1000 },
      chatMessages: CHAT_CAP,
      whiteboardEdits: 0,
      attendance: { activeMs: 1, classMs: 2, status: 'present' },
    })
    const quiz = { closed: ['q'], times: { q: [1000] } }
    const score = scoreOf(r, quiz, { camera: 40, quiz: 10, chat: 10, whiteboard: 30, attendance: 10 }, all)
    // 40·1 + 10·1 + 10·1 + 30·0 + 10·0.5
    assert.equal(score.score, 65)
    assert.deepEqual(
      score.parts.map((p) => [p.signal, p.value, p.effectiveWeight]),
      [
        ['camera', 1, 40],
        ['quiz', 1, 10],
        ['chat', 1, 10],
        ['whiteboard', 0, 30],
        ['attendance', 0.5, 10],
      ]
    )
  })

  test('a disabled or unmeasured signal is left out and the other weights renormalised', ({ assert }) => {
    const r = raw({ cameraOnMs: 60_000, presentMs: 60_000, chatMessages: 0 })
    // quiz: no question; attendance: not published yet; chat switched off.
    const score = scoreOf(r, noQuiz, even, { ...all, chat: false })
    const byName = Object.fromEntries(score.parts.map((p) => [p.signal, p]))
    assert.equal(byName.chat.notMeasured, 'disabled')
    assert.equal(byName.quiz.notMeasured, 'no_data')
    assert.equal(byName.attendance.notMeasured, 'no_data')
    assert.isNull(byName.chat.value)
    // camera 1 and whiteboard 0 carry 50 % each.
    assert.equal(byName.camera.effectiveWeight, 50)
    assert.equal(byName.whiteboard.effectiveWeight, 50)
    assert.equal(score.score, 50)
    // The same student with chat switched on: chat counts (0) and the score falls.
    assert.closeTo(scoreOf(r, noQuiz, even, all).score!, 33.3, 0.05)
  })

  test('an attendance verdict that arrived counts even when the host lists no enabled attendance source', ({ assert }) => {
    const r = raw({ attendance: { activeMs: 3, classMs: 4, status: 'present' } })
    const score = scoreOf(r, noQuiz, even, { ...all, attendance: false })
    assert.equal(score.parts.find((p) => p.signal === 'attendance')!.value, 0.75)
    assert.equal(scoreOf(raw(), noQuiz, even, { ...all, attendance: false }).parts[4].notMeasured, 'disabled')
  })

  test('nothing measured gives no score rather than 0', ({ assert }) => {
    const none = { camera: false, quiz: false, chat: false, whiteboard: false, attendance: false }
    assert.isNull(scoreOf(raw(), noQuiz, even, none).score)
  })

  test('weights are integers 0–100 summing to 100', ({ assert }) => {
    assert.isTrue(validWeights(even))
    assert.isFalse(validWeights({ ...even, camera: 21 }))
    assert.isFalse(validWeights({ ...even, camera: 20.5, quiz: 19.5 }))
    assert.isFalse(validWeights({ camera: 120, quiz: -20, chat: 0, whiteboard: 0, attendance: 0 }))
    assert.isFalse(validWeights({ camera: 100 }))
  })
})
