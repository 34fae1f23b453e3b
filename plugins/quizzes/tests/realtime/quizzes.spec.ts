import { test } from '@japa/runner'
import { createSchool } from '#tests/helpers/fixtures'
import { nextEvent, send, sendOk, socketTracker, watchAbsence } from '#tests/helpers/sockets'
import { useAppProcessesOnRedis } from '#tests/helpers/app_process'
import QuizRun from '../../models/quiz_run.js'
import QuizAnswer from '../../models/quiz_answer.js'
import Quiz from '../../models/quiz.js'
import Course from '#app/courses/models/course'
import { normaliseQuestion } from '../../shared/questions.js'
import type { Tally } from '../../events.js'
import '../../events.js'

const sockets = socketTracker()
const joined = sockets.joined

const capitals = {
  type: 'single' as const,
  prompt: 'Capital of France?',
  options: [{ label: 'Paris', correct: true }, { label: 'Lyon' }, { label: 'Nice' }],
}

/** The teacher's controls of a launched question, as events with their payloads. */
const runControls = (runId: number) =>
  [
    ['quizzes:close', { runId }],
    ['quizzes:reveal', { runId }],
    ['quizzes:mark', { runId, key: 'paris', correct: true }],
  ] as const

const errorCode = (response: { ok: boolean; error?: { code: string } }) => (response.ok ? 'ok' : response.error!.code)

test.group('Quizzes: realtime', (group) => {
  group.each.teardown(() => sockets.closeAll())

  test('a student cannot launch, close, reveal or mark a question', async ({ assert }) => {
    const { teacher, students, classSession } = await createSchool({ liveClass: true })
    const teacherSocket = await joined(teacher, classSession.id)
    const student = await joined(students[0], classSession.id)

    const launch = await send(student, 'quizzes:launch', { question: capitals })
    assert.equal(errorCode(launch), 'forbidden')
    assert.isNull(await QuizRun.query().where('class_session_id', classSession.id).first())
    assert.equal(errorCode(await send(student, 'quizzes:library', {})), 'forbidden')

    const { run } = await sendOk(teacherSocket, 'quizzes:launch', { question: capitals })
    for (const [event, payload] of runControls(run.id)) {
      assert.equal(errorCode(await send(student, event, payload)), 'forbidden', event)
    }
    const stored = await QuizRun.findOrFail(run.id)
    assert.equal(stored.status, 'open')
    assert.isNull(stored.revealedAtMs)
    // And the teacher does not answer their own question.
    assert.equal(errorCode(await send(teacherSocket, 'quizzes:answer', { runId: run.id, optionIds: ['a'] })), 'forbidden')
  })

  test('malformed answers are refused and nothing is stored', async ({ assert }) => {
    const { teacher, students, classSession } = await createSchool({ liveClass: true })
    const other = await createSchool({ liveClass: true })
    const teacherSocket = await joined(teacher, classSession.id)
    const student = await joined(students[0], classSession.id)

    const { run } = await sendOk(teacherSocket, 'quizzes:launch', { question: capitals })
    const cases: [unknown, string][] = [
      [{ runId: run.id, optionIds: ['z'] }, 'invalid'], // no such option
      [{ runId: run.id, optionIds: ['a', 'b'] }, 'invalid'], // two answers to a one-answer question
      [{ runId: run.id, optionIds: ['../a'] }, 'invalid'],
      [{ runId: run.id, optionIds: [] }, 'invalid'],
      [{ runId: run.id, text: 'Paris' }, 'invalid'], // text for a choice
      [{ runId: 'x', optionIds: ['a'] }, 'invalid'],
      [{ optionIds: ['a'] }, 'invalid'],
      [{ runId: run.id + 10_000, optionIds: ['a'] }, 'not_found'],
    ]
    for (const [payload, code] of cases) {
      assert.equal(errorCode(await send(student, 'quizzes:answer', payload)), code, JSON.stringify(payload))
    }

    const { run: short } = await sendOk(teacherSocket, 'quizzes:launch', { question: { type: 'short', prompt: 'Say something' } })
    assert.equal(errorCode(await send(student, 'quizzes:answer', { runId: short.id, text: 'x'.repeat(501) })), 'invalid')
    assert.equal(errorCode(await send(student, 'quizzes:answer', { runId: short.id, text: 'x'.repeat(20_000) })), 'too_large')
    assert.equal(errorCode(await send(student, 'quizzes:answer', { runId: short.id, text: '   ' })), 'invalid')
    assert.equal(errorCode(await send(student, 'quizzes:answer', { runId: short.id, optionIds: ['a'] })), 'invalid')

    // A question of another class is out of reach.
    const otherTeacher = await joined(other.teacher, other.classSession.id)
    const { run: foreign } = await sendOk(otherTeacher, 'quizzes:launch', { question: capitals })
    assert.equal(errorCode(await send(student, 'quizzes:answer', { runId: foreign.id, optionIds: ['a'] })), 'not_found')

    assert.lengthOf(await QuizAnswer.query().whereIn('quiz_run_id', [run.id, short.id, foreign.id]), 0)
    // Malformed questions are refused too.
    for (const question of [
      { type: 'single', prompt: 'Only one option', options: [{ label: 'a' }] },
      { type: 'single', prompt: 'Two right', options: [{ label: 'a', correct: true }, { label: 'b', correct: true }] },
      { type: 'essay', prompt: 'Unknown type' },
      { type: 'short', prompt: '' },
    ]) {
      assert.equal(errorCode(await send(teacherSocket, 'quizzes:launch', { question })), 'invalid', JSON.stringify(question))
    }
  })

  test('a teacher reaches only their own class’s questions and their own course’s saved quizzes', async ({ assert }) => {
    const { school, teacher, otherTeacher, students, course, classSession } = await createSchool({ liveClass: true })
    const other = await createSchool({ liveClass: true })
    const teacherSocket = await joined(teacher, classSession.id)
    const student = await joined(students[0], classSession.id)
    const otherSocket = await joined(other.teacher, other.classSession.id)

    // Another class's teacher cannot close, reveal or mark this class's question.
    const { run } = await sendOk(teacherSocket, 'quizzes:launch', { question: { type: 'short', prompt: 'Say something' } })
    for (const [event, payload] of runControls(run.id)) {
      assert.equal(errorCode(await send(otherSocket, event, payload)), 'not_found', event)
    }
    const untouched = await QuizRun.findOrFail(run.id)
    assert.equal(untouched.status, 'open')
    assert.isNull(untouched.revealedAtMs)

    const saved = (courseId: number, schoolId: number, title: string) =>
      Quiz.create({
        schoolId,
        courseId,
        title,
        questions: [normaliseQuestion(capitals), normaliseQuestion({ type: 'truefalse', prompt: `${title}: the Seine flows through Paris` })],
        createdBy: null,
      })
    const own = await saved(course.id, school.id, 'Geography')
    const otherCourse = await Course.create({ schoolId: school.id, teacherId: otherTeacher.id, name: 'History' })
    const sameSchool = await saved(otherCourse.id, school.id, 'History quiz')
    const otherSchool = await saved(other.course.id, other.school.id, 'Their quiz')

    // A saved quiz of another course, in this school or another, is not found; nothing is launched.
    for (const quiz of [sameSchool, otherSchool]) {
      assert.equal(errorCode(await send(teacherSocket, 'quizzes:launch', { quizId: quiz.id, questionIndex: 1 })), 'not_found', quiz.title)
    }
    assert.equal(errorCode(await send(teacherSocket, 'quizzes:launch', { quizId: own.id, questionIndex: 2 })), 'not_found')
    assert.equal((await QuizRun.query().where('class_session_id', classSession.id)).length, 1)

    // The course's own saved quiz launches the question asked for, and students see it.
    const shown = nextEvent(student, 'quizzes:launched')
    const { run: second } = await sendOk(teacherSocket, 'quizzes:launch', { quizId: own.id, questionIndex: 1 })
    assert.equal(second.prompt, 'Geography: the Seine flows through Paris')
    assert.equal(second.quizTitle, 'Geography')
    assert.equal((await shown).run.id, second.id)
  })

  test('a student who changes their answer more than 30 times in a minute is refused; another student is not', async ({ assert }) => {
    const { teacher, students, classSession } = await createSchool({ liveClass: true })
    const teacherSocket = await joined(teacher, classSession.id)
    const student = await joined(students[0], classSession.id)
    const { run } = await sendOk(teacherSocket, 'quizzes:launch', { question: capitals })
    // The join and 31 answers stay under the gateway's 40 events a second: only the quiz's own limit can refuse.
    for (let i = 1; i <= 30; i++) {
      await sendOk(student, 'quizzes:answer', { runId: run.id, optionIds: [i === 30 ? 'a' : ['b', 'c'][i % 2]] })
    }
    const refused = await send(student, 'quizzes:answer', { runId: run.id, optionIds: ['c'] })
    assert.isFalse(refused.ok)
    if (!refused.ok) {
      assert.equal(refused.error.code, 'rate_limited')
      assert.include(refused.error.message, 'changing your answer too often')
    }
    const [row] = await QuizAnswer.query().where('quiz_run_id', run.id)
    assert.deepEqual(row.optionIds, ['a'])
    assert.equal(row.version, 30)
    // Another student is not held back by it.
    await sendOk(await joined(students[1], classSession.id), 'quizzes:answer', { runId: run.id, optionIds: ['c'] })
  })

  test('students answer, the teacher sees the live tally, closes, reveals; students see the results', async ({ assert }) => {
    const { teacher, students, classSession } = await createSchool({ liveClass: true })
    const teacherSocket = await joined(teacher, classSession.id)
    const [ann, ben] = await Promise.all(students.slice(0, 2).map((s) => joined(s, classSession.id)))

    const shown = nextEvent(ann, 'quizzes:launched')
    const { run } = await sendOk(teacherSocket, 'quizzes:launch', { question: capitals })
    const launched = await shown
    assert.equal(launched.run.prompt, 'Capital of France?')
    assert.isTrue(launched.run.hasCorrectAnswer)
    assert.notProperty(launched.run, 'correct', 'students do not get the answer key')
    assert.deepEqual(run.correct, ['a'])

    const both = nextEvent(teacherSocket, 'quizzes:tally', (p) => p.tally.total === 2)
    const first = await sendOk(ann, 'quizzes:answer', { runId: run.id, optionIds: ['b'] })
    assert.isFalse(first.replaced)
    assert.isAtLeast(first.responseMs, 0)
    assert.isTrue((await sendOk(ann, 'quizzes:answer', { runId: run.id, optionIds: ['a'] })).replaced)
    await sendOk(ben, 'quizzes:answer', { runId: run.id, optionIds: ['c'] })
    const { tally } = await both
    assert.deepEqual(tally.options.map((o) => o.count), [1, 0, 1])
    assert.equal(tally.correctCount, 1)
    assert.sameMembers(tally.responses!.map((r) => r.fullName), [students[0].fullName, students[1].fullName])

    // A rejoining student gets their answer back; the teacher gets the tally.
    const state = await sendOk(ann, 'quizzes:state', {})
    assert.deepEqual(state.myAnswer?.optionIds, ['a'])
    assert.isNull(state.myAnswer?.correct, 'correctness stays hidden until the reveal')
    assert.isNull(state.tally)
    assert.equal((await sendOk(teacherSocket, 'quizzes:state', {})).tally?.total, 2)

    const closed = nextEvent(ben, 'quizzes:closed')
    await sendOk(teacherSocket, 'quizzes:close', { runId: run.id })
    assert.equal((await closed).runId, run.id)
    assert.equal(errorCode(await send(ben, 'quizzes:answer', { runId: run.id, optionIds: ['a'] })), 'conflict')

    const revealed = [ann, ben].map((s) => nextEvent(s, 'quizzes:revealed'))
    await sendOk(teacherSocket, 'quizzes:reveal', { runId: run.id })
    for (const { results } of await Promise.all(revealed)) {
      assert.equal(results.total, 2)
      assert.deepEqual(results.options.map((o) => [o.label, o.count, o.correct]), [
        ['Paris', 1, true],
        ['Lyon', 0, false],
        ['Nice', 1, false],
      ])
      assert.notInclude(JSON.stringify(results), students[0].fullName)
    }
    const after = await sendOk(ann, 'quizzes:state', {})
    assert.isTrue(after.myAnswer?.correct)
    assert.isTrue(after.run?.revealed)
  })

  test('a timed question is closed by the server when its time is up', async ({ assert }) => {
    const { teacher, students, classSession } = await createSchool({ liveClass: true })
    const teacherSocket = await joined(teacher, classSession.id)
    const student = await joined(students[0], classSession.id)
    const { run } = await sendOk(teacherSocket, 'quizzes:launch', { question: capitals, timeLimitSeconds: 60 })
    assert.equal(Date.parse(run.closesAt!) - Date.parse(run.openedAt), 60_000)

    // Make the deadline pass now; the stored deadline is what every process checks.
    const closing = nextEvent(student, 'quizzes:closed', (p) => p.runId === run.id)
    const stored = await QuizRun.findOrFail(run.id)
    stored.merge({ openedAtMs: Date.now() - 61_000, closesAtMs: Date.now() - 1000 })
    await stored.save()
    assert.equal(errorCode(await send(student, 'quizzes:answer', { runId: run.id, optionIds: ['a'] })), 'conflict')
    const closed = await closing
    assert.equal(Date.parse(closed.closedAt), stored.closesAtMs)
    assert.equal((await QuizRun.findOrFail(run.id)).status, 'closed')
  })

  test('an anonymous poll: the teacher sees counts, never names', async ({ assert }) => {
    const { teacher, students, classSession } = await createSchool({ liveClass: true })
    const teacherSocket = await joined(teacher, classSession.id)
    const studentSockets = await Promise.all(students.map((s) => joined(s, classSession.id)))
    const { run, tally: empty } = await sendOk(teacherSocket, 'quizzes:launch', {
      question: { type: 'truefalse', prompt: 'I did my homework' },
      anonymous: true,
    })
    assert.isNull(empty.responses)

    const tallies: Tally[] = []
    teacherSocket.on('quizzes:tally', ({ tally }: { tally: Tally }) => tallies.push(tally))
    const all = nextEvent(teacherSocket, 'quizzes:tally', (p) => p.tally.total === 3)
    await sendOk(studentSockets[0], 'quizzes:answer', { runId: run.id, optionIds: ['true'] })
    await sendOk(studentSockets[1], 'quizzes:answer', { runId: run.id, optionIds: ['false'] })
    await sendOk(studentSockets[2], 'quizzes:answer', { runId: run.id, optionIds: ['true'] })
    const { tally } = await all
    assert.deepEqual(tally.options.map((o) => o.count), [2, 1])
    for (const t of tallies) {
      assert.isNull(t.responses)
      for (const s of students) assert.notInclude(JSON.stringify(t), s.fullName)
    }
    const rows = await QuizAnswer.query().where('quiz_run_id', run.id)
    assert.lengthOf(rows, 3)
    assert.isTrue(rows.every((r) => r.userId === null && r.responseMs === null && r.answeredAtMs === null))
  })

  test('school settings: no anonymous polls, results never shown to students', async ({ assert, client }) => {
    const { admin, teacher, students, classSession } = await createSchool({ liveClass: true })
    const response = await client
      .put('/admin/plugins/quizzes')
      .json({ enabled: true, settings: { allowAnonymous: false, defaultTimeLimitSeconds: 90, studentResults: 'never' } })
      .loginAs(admin)
      .withCsrfToken()
      .accept('json')
    response.assertStatus(200)

    const teacherSocket = await joined(teacher, classSession.id)
    const student = await joined(students[0], classSession.id)
    assert.equal(errorCode(await send(teacherSocket, 'quizzes:launch', { question: capitals, anonymous: true })), 'forbidden')
    const { run } = await sendOk(teacherSocket, 'quizzes:launch', { question: capitals })
    assert.equal(run.timeLimitSeconds, 90)
    const quiet = watchAbsence(student, 'quizzes:revealed')
    assert.equal(errorCode(await send(teacherSocket, 'quizzes:reveal', { runId: run.id })), 'forbidden')
    assert.isTrue(await quiet.settle(student))
  })
})

test.group('Quizzes: two app processes on Redis', (group) => {
  const processes = useAppProcessesOnRedis(group)
  group.each.teardown(() => sockets.closeAll())

  test('answers sent to either process reach the teacher’s tally', async ({ assert }) => {
    const [one, two] = processes
    const { teacher, students, classSession } = await createSchool({ liveClass: true })
    const teacherSocket = await joined(teacher, classSession.id, one.url)
    const onOne = await joined(students[0], classSession.id, one.url)
    const onTwo = await joined(students[1], classSession.id, two.url)

    const shownOnTwo = nextEvent(onTwo, 'quizzes:launched')
    const { run } = await sendOk(teacherSocket, 'quizzes:launch', { question: capitals })
    assert.equal((await shownOnTwo).run.id, run.id)

    const both = nextEvent(teacherSocket, 'quizzes:tally', (p) => p.tally.runId === run.id && p.tally.total === 2)
    await sendOk(onTwo, 'quizzes:answer', { runId: run.id, optionIds: ['a'] })
    await sendOk(onOne, 'quizzes:answer', { runId: run.id, optionIds: ['b'] })
    const { tally } = await both
    assert.deepEqual(tally.options.map((o) => o.count), [1, 1, 0])
    assert.sameMembers(tally.responses!.map((r) => r.userId), [students[0].id, students[1].id])

    // A change on process 2 replaces the answer; still one row per student.
    const changed = nextEvent(teacherSocket, 'quizzes:tally', (p) => p.tally.options[2].count === 1)
    assert.isTrue((await sendOk(onTwo, 'quizzes:answer', { runId: run.id, optionIds: ['c'] })).replaced)
    assert.deepEqual((await changed).tally.options.map((o) => o.count), [0, 1, 1])
    assert.lengthOf(await QuizAnswer.query().where('quiz_run_id', run.id), 2)

    // The close on process 1 reaches the student on process 2, who is then refused.
    const closed = nextEvent(onTwo, 'quizzes:closed')
    await sendOk(teacherSocket, 'quizzes:close', { runId: run.id })
    await closed
    assert.equal(errorCode(await send(onTwo, 'quizzes:answer', { runId: run.id, optionIds: ['a'] })), 'conflict')
  })
})
