import { test } from '@japa/runner'
import { createHmac } from 'node:crypto'
import db from '@adonisjs/lucid/services/db'
import { RealtimeError, type SocketSession, type SocketUser } from '#app/plugins/api'
import { createSchool } from '#tests/helpers/fixtures'
import QuizRun from '../../models/quiz_run.js'
import QuizAnswer from '../../models/quiz_answer.js'
import { RunService } from '../../services/run_service.js'
import { AnswerService } from '../../services/answer_service.js'
import { appKey } from '../../services/app_key.js'
import { fakeClock, fakeHost } from '../fake_host.js'

async function setup(settings: Parameters<typeof fakeHost>[0] = {}) {
  const school = await createSchool({ liveClass: true })
  const fake = fakeHost(settings)
  const clock = fakeClock()
  const runs = new RunService(fake.host, clock)
  const answers = new AnswerService(fake.host, runs, clock)
  const session = (role: 'teacher' | 'student'): SocketSession => ({
    id: school.classSession.id,
    schoolId: school.school.id,
    courseId: school.course.id,
    teacherId: school.teacher.id,
    role,
    room: 'main',
  })
  const asUser = (user: { id: number; schoolId: number; role: any; fullName: string }): SocketUser => ({
    id: user.id,
    schoolId: user.schoolId,
    role: user.role,
    fullName: user.fullName,
  })
  const teacher = asUser(school.teacher)
  const [ann, ben] = school.students.map(asUser)
  const launchChoice = (extra: Record<string, unknown> = {}) =>
    runs.launch(session('teacher'), teacher, {
      question: {
        type: 'single',
        prompt: 'Capital of France?',
        options: [{ label: 'Paris', correct: true }, { label: 'Lyon' }, { label: 'Nice' }],
      },
      ...extra,
    })
  const answer = (user: SocketUser, payload: { runId: number; optionIds?: string[]; text?: string }) =>
    answers.answer(session('student'), user, payload)
  return { ...school, ...fake, clock, runs, answers, session, teacher, ann, ben, launchChoice, answer }
}

async function refusal(promise: Promise<unknown>) {
  try {
    await promise
  } catch (error) {
    if (error instanceof RealtimeError) return { code: error.code, message: error.message }
    throw error
  }
  throw new Error('Expected the answer to be refused')
}

test.group('Quiz answers: accepted once, a change replaces it', () => {
  test('the first answer is stored; a change before the close replaces it instead of adding one', async ({ assert }) => {
    const t = await setup()
    const { run } = await t.launchChoice()

    const first = await t.answer(t.ann, { runId: run.id, optionIds: ['b'] })
    assert.isFalse(first.replaced)
    t.clock.advance(1500)
    const second = await t.answer(t.ann, { runId: run.id, optionIds: ['a'] })
    assert.isTrue(second.replaced)

    const rows = await QuizAnswer.query().where('quiz_run_id', run.id)
    assert.lengthOf(rows, 1)
    assert.deepEqual(rows[0].optionIds, ['a'])
    assert.isTrue(rows[0].correct)
    assert.equal(rows[0].userId, t.ann.id)
    assert.equal(rows[0].version, 2)

    const signals = t.signals.filter((s) => s.event === 'quizzes:answered').map((s) => s.payload)
    assert.deepEqual(
      signals.map((s) => [s.userId, s.correct, s.replaced]),
      [
        [t.ann.id, false, false],
        [t.ann.id, true, true],
      ]
    )
    assert.equal(signals[0].sessionId, t.classSession.id)
    assert.equal(signals[0].schoolId, t.school.id)

    // Engagement hears the opening, the first answer only (with its server-measured time) and the close.
    await t.runs.close(await QuizRun.findOrFail(run.id))
    const activity = t.signals.filter((s) => s.event === 'activity:signal').map((s) => s.payload)
    assert.deepEqual(
      activity.map(({ kind, userId, questionKey, responseMs, courseId }) => ({ kind, userId, questionKey, responseMs, courseId })),
      [
        { kind: 'quiz_opened', userId: undefined, questionKey: String(run.id), responseMs: undefined, courseId: t.course.id },
        { kind: 'quiz_answered', userId: t.ann.id, questionKey: String(run.id), responseMs: first.responseMs, courseId: t.course.id },
        { kind: 'quiz_closed', userId: undefined, questionKey: String(run.id), responseMs: undefined, courseId: t.course.id },
      ]
    )
  })

  test('answers racing in at once still leave one row per student', async ({ assert }) => {
    const t = await setup()
    const { run } = await t.launchChoice()
    await Promise.all([
      t.answer(t.ann, { runId: run.id, optionIds: ['a'] }),
      t.answer(t.ann, { runId: run.id, optionIds: ['b'] }),
      t.answer(t.ann, { runId: run.id, optionIds: ['c'] }),
      t.answer(t.ben, { runId: run.id, optionIds: ['a'] }),
    ])
    const rows = await QuizAnswer.query().where('quiz_run_id', run.id)
    assert.sameMembers(rows.map((r) => r.userId), [t.ann.id, t.ben.id])
    assert.equal(rows.find((r) => r.userId === t.ann.id)!.version, 3)
  })

  test('answers are refused after the teacher closes the question and the stored answer stays', async ({ assert }) => {
    const t = await setup()
    const { run } = await t.launchChoice()
    await t.answer(t.ann, { runId: run.id, optionIds: ['a'] })
    await t.runs.close(await QuizRun.findOrFail(run.id))

    const late = await refusal(t.answer(t.ann, { runId: run.id, optionIds: ['b'] }))
    assert.equal(late.code, 'conflict')
    assert.match(late.message, /closed/)
    const never = await refusal(t.answer(t.ben, { runId: run.id, optionIds: ['b'] }))
    assert.equal(never.code, 'conflict')

    const rows = await QuizAnswer.query().where('quiz_run_id', run.id)
    assert.lengthOf(rows, 1)
    assert.deepEqual(rows[0].optionIds, ['a'])
    assert.isTrue(t.emitted.some((e) => e.event === 'quizzes:closed' && e.to === `session:${t.classSession.id}`))
  })

  test('answers are refused from the time limit on, even before anyone closes the question', async ({ assert }) => {
    const t = await setup()
    const { run } = await t.launchChoice({ timeLimitSeconds: 20 })
    const stored = await QuizRun.findOrFail(run.id)
    assert.equal(stored.closesAtMs, stored.openedAtMs + 20_000)

    t.clock.advance(19_999)
    await t.answer(t.ann, { runId: run.id, optionIds: ['a'] })
    t.clock.advance(1)
    const late = await refusal(t.answer(t.ben, { runId: run.id, optionIds: ['a'] }))
    assert.equal(late.code, 'conflict')
    assert.match(late.message, /Time is up/)
    const change = await refusal(t.answer(t.ann, { runId: run.id, optionIds: ['b'] }))
    assert.equal(change.code, 'conflict')

    assert.equal((await QuizRun.findOrFail(run.id)).status, 'open', 'the refusal comes from the stored deadline, not a timer')
    await t.runs.closeExpired()
    const closed = await QuizRun.findOrFail(run.id)
    assert.equal(closed.status, 'closed')
    assert.equal(closed.closedAtMs, closed.closesAtMs, 'a timed-out question is recorded as closed at its deadline')
    const rows = await QuizAnswer.query().where('quiz_run_id', run.id)
    assert.deepEqual(rows.map((r) => [r.userId, r.optionIds]), [[t.ann.id, ['a']]])
  })

  test('the school default time limit applies when the teacher gives none', async ({ assert }) => {
    const t = await setup({ defaultTimeLimitSeconds: 45 })
    const { run } = await t.launchChoice()
    assert.equal(run.timeLimitSeconds, 45)
    const unlimited = await t.launchChoice({ timeLimitSeconds: null })
    assert.isNull(unlimited.run.timeLimitSeconds)
    assert.equal((await QuizRun.findOrFail(run.id)).status, 'closed', 'launching a question closes the previous one')
  })
})

test.group('Quiz answers: flood protection', () => {
  test('a student changing their answer dozens of times a minute is slowed down', async ({ assert }) => {
    const t = await setup()
    const { run } = await t.launchChoice()
    for (let i = 0; i < 30; i++) await t.answer(t.ann, { runId: run.id, optionIds: [i % 2 ? 'a' : 'b'] })
    const flood = await refusal(t.answer(t.ann, { runId: run.id, optionIds: ['c'] }))
    assert.equal(flood.code, 'rate_limited')
    assert.deepEqual((await QuizAnswer.query().where({ quizRunId: run.id, userId: t.ann.id }).firstOrFail()).optionIds, ['a'])
    await t.answer(t.ben, { runId: run.id, optionIds: ['c'] }) // others are not affected
  })
})

test.group('Quiz answers: server-measured response time', () => {
  test('is the time between the launch and the answer arriving, on the server clock', async ({ assert }) => {
    const t = await setup()
    const { run } = await t.launchChoice()
    t.clock.advance(2345)
    const result = await t.answer(t.ann, { runId: run.id, optionIds: ['a'] })
    assert.equal(result.responseMs, 2345)
    const row = await QuizAnswer.query().where({ quizRunId: run.id, userId: t.ann.id }).firstOrFail()
    assert.equal(row.responseMs, 2345)
    assert.equal(row.answeredAtMs, t.clock())

    t.clock.advance(1000)
    await t.answer(t.ann, { runId: run.id, optionIds: ['b'] })
    await row.refresh()
    assert.equal(row.responseMs, 3345, 'a change counts until the final answer')

    const signal = t.signals.filter((s) => s.event === 'quizzes:answered').at(-1)!.payload
    assert.equal(signal.responseMs, 3345)
  })

  test('a student who arrives after the launch is timed from their arrival; reconnecting does not reset it', async ({ assert }) => {
    const t = await setup()
    t.participants.push({ userId: t.ann.id, fullName: t.ann.fullName, role: 'student', handRaisedAt: null, room: 'main' })
    const { run } = await t.launchChoice()
    t.clock.advance(10_000)
    await t.runs.state(t.session('student'), t.ben) // Ben joins late and sees the question now
    await t.runs.state(t.session('student'), t.ann) // Ann reconnects: she saw it at the launch
    t.clock.advance(4000)
    assert.equal((await t.answer(t.ben, { runId: run.id, optionIds: ['a'] })).responseMs, 4000)
    assert.equal((await t.answer(t.ann, { runId: run.id, optionIds: ['a'] })).responseMs, 14_000)
  })
})

test.group('Quiz answers: anonymous polls', () => {
  test('store no student identity: no user id, no timing, and keys nobody can link once the poll closes', async ({ assert }) => {
    const t = await setup()
    const { run } = await t.launchChoice({ anonymous: true })
    await t.answer(t.ann, { runId: run.id, optionIds: ['a'] })
    await t.answer(t.ben, { runId: run.id, optionIds: ['b'] })
    await t.answer(t.ann, { runId: run.id, optionIds: ['c'] })

    // Still "accepted once": Ann's change replaced her answer.
    const rows = await db.from('quiz_answers').where('quiz_run_id', run.id).orderBy('id')
    assert.lengthOf(rows, 2)
    assert.sameMembers(rows.map((r) => JSON.parse(r.option_ids)[0]), ['c', 'b'])

    const openRun = await QuizRun.findOrFail(run.id)
    assert.isString(openRun.anonSalt)
    await t.runs.close(openRun)
    assert.isNull((await QuizRun.findOrFail(run.id)).anonSalt, 'the salt is erased on close')

    for (const row of rows) {
      assert.isNull(row.user_id)
      assert.isNull(row.response_ms)
      assert.isNull(row.answered_at_ms)
      assert.match(row.respondent_key, /^a:[\w-]{43}$/)
      for (const student of [t.ann, t.ben]) {
        // Not the named key, and not what APP_KEY alone (without the erased salt) would give.
        assert.notEqual(row.respondent_key, `u:${student.id}`)
        const guess = createHmac('sha256', appKey()).update(`${run.id}:${student.id}`).digest('base64url')
        assert.notEqual(row.respondent_key, `a:${guess}`)
        const json = JSON.stringify(row)
        assert.notInclude(json, student.fullName)
      }
    }

    // Nor does anything leave the plugin with a name: the tally has counts only, the signals no user id.
    const tallies = t.emitted.filter((e) => e.event === 'quizzes:tally').map((e) => e.payload.tally)
    assert.isAbove(tallies.length, 0)
    for (const tally of tallies) assert.isNull(tally.responses)
    assert.equal(tallies.at(-1).total, 2)
    assert.deepEqual(tallies.at(-1).options.map((o: any) => o.count), [0, 1, 1])
    const answered = t.signals.filter((s) => s.event === 'quizzes:answered')
    assert.lengthOf(answered, 3)
    for (const signal of answered) assert.isNull(signal.payload.userId)
    assert.notExists(t.signals.find((s) => s.event === 'activity:signal'), 'anonymous polls are no engagement signal')
  })

  test('are refused when the school does not allow them', async ({ assert }) => {
    const t = await setup({ allowAnonymous: false })
    const refused = await refusal(t.launchChoice({ anonymous: true }))
    assert.equal(refused.code, 'forbidden')
    assert.isNull(await QuizRun.query().where('class_session_id', t.classSession.id).first())
  })
})

test.group('Quiz answers: short answers marked by the teacher', () => {
  test('grouped by normalised text; marking a group re-grades every answer', async ({ assert }) => {
    const t = await setup()
    const { run } = await t.runs.launch(t.session('teacher'), t.teacher, { question: { type: 'short', prompt: 'Largest planet?' } })
    const carl = { ...t.ann, id: t.students[2].id, fullName: t.students[2].fullName }
    await t.answer(t.ann, { runId: run.id, text: 'Jupiter' })
    await t.answer(t.ben, { runId: run.id, text: '  jupiter. ' })
    await t.answer(carl, { runId: run.id, text: 'Saturn' })

    let tally = await t.runs.tallies.send(await QuizRun.findOrFail(run.id))
    assert.deepEqual(tally.groups.map((g) => [g.key, g.count, g.correct]), [['jupiter', 2, null], ['saturn', 1, null]])
    assert.sameMembers(tally.groups[0].names, [t.ann.fullName, t.ben.fullName])

    tally = await t.runs.mark(await QuizRun.findOrFail(run.id), 'jupiter', true)
    assert.deepEqual(tally.groups.map((g) => [g.key, g.correct]), [['jupiter', true], ['saturn', false]])
    assert.equal(tally.correctCount, 2)
    assert.isAbove(tally.revision, 3)
    const graded = t.signals.find((s) => s.event === 'quizzes:graded')!.payload
    assert.sameDeepMembers(graded.changes, [
      { userId: t.ann.id, correct: true },
      { userId: t.ben.id, correct: true },
      { userId: carl.id, correct: false },
    ])

    // A later answer with the same text is graded right away.
    const dan = { ...t.ann, id: t.outsider.id }
    await t.answer(dan, { runId: run.id, text: 'JUPITER' })
    assert.isTrue((await QuizAnswer.query().where({ quizRunId: run.id, userId: dan.id }).firstOrFail()).correct)
  })
})
