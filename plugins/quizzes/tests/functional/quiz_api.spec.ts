import { test } from '@japa/runner'
import ExcelJS from 'exceljs'
import { createSchool, type SchoolFixture } from '#tests/helpers/fixtures'
import Quiz from '../../models/quiz.js'
import QuizRun from '../../models/quiz_run.js'
import QuizAnswer from '../../models/quiz_answer.js'
import { normaliseQuestion } from '../../shared/questions.js'

const quizBody = {
  title: 'Week 3 check',
  questions: [
    { type: 'single', prompt: 'Capital of France?', options: [{ label: 'Paris', correct: true }, { label: 'Lyon' }], timeLimitSeconds: 30 },
    { type: 'truefalse', prompt: 'The sun is a star', statementIsTrue: true },
    { type: 'short', prompt: 'Largest planet?', accepted: ['Jupiter'] },
  ],
}

/** A class with one named and one anonymous question, answered (as stored by the answer service). */
async function classWithResults(f: SchoolFixture) {
  const base = {
    classSessionId: f.classSession.id,
    schoolId: f.school.id,
    courseId: f.course.id,
    quizId: null,
    questionIndex: null,
    questionCount: null,
    quizTitle: null,
    status: 'closed' as const,
    openedAtMs: Date.UTC(2026, 0, 5, 9, 0, 0),
    closesAtMs: null,
    closedAtMs: Date.UTC(2026, 0, 5, 9, 1, 0),
    revealedAtMs: null,
    anonSalt: null,
    launchedBy: f.teacher.id,
    timeLimitSeconds: null,
  }
  const q = normaliseQuestion({ type: 'single', prompt: 'Capital of France?', options: [{ label: 'Paris', correct: true }, { label: '=HYPERLINK("x")' }] })
  const named = await QuizRun.create({ ...base, ...q, anonymous: false })
  await QuizAnswer.create({ quizRunId: named.id, respondentKey: `u:${f.students[0].id}`, userId: f.students[0].id, optionIds: ['a'], text: null, textKey: null, correct: true, responseMs: 2500, answeredAtMs: base.openedAtMs + 2500, version: 1 })
  await QuizAnswer.create({ quizRunId: named.id, respondentKey: `u:${f.students[1].id}`, userId: f.students[1].id, optionIds: ['b'], text: null, textKey: null, correct: false, responseMs: 4000, answeredAtMs: base.openedAtMs + 4000, version: 1 })
  const poll = normaliseQuestion({ type: 'truefalse', prompt: 'I did my homework' })
  const anonymous = await QuizRun.create({ ...base, ...poll, anonymous: true })
  await QuizAnswer.create({ quizRunId: anonymous.id, respondentKey: 'a:hash-one', userId: null, optionIds: ['true'], text: null, textKey: null, correct: null, responseMs: null, answeredAtMs: null, version: 1 })
  return { named, anonymous }
}

test.group('Quizzes HTTP: the quiz builder', () => {
  test('a teacher creates, lists, edits and deletes quizzes of their course', async ({ client, assert }) => {
    const f = await createSchool()
    const courses = await client.get('/plugins/quizzes/courses').loginAs(f.teacher).accept('json')
    courses.assertStatus(200)
    assert.deepEqual(courses.body().courses, [{ id: f.course.id, name: f.course.name, quizCount: 0 }])

    const created = await client.post(`/plugins/quizzes/courses/${f.course.id}/quizzes`).json(quizBody).loginAs(f.teacher).withCsrfToken().accept('json')
    created.assertStatus(201)
    const quiz = created.body().quiz
    assert.equal(quiz.title, 'Week 3 check')
    assert.deepEqual(quiz.questions[0].options, [{ id: 'a', label: 'Paris' }, { id: 'b', label: 'Lyon' }])
    assert.deepEqual(quiz.questions[0].correct, ['a'])
    assert.equal(quiz.questions[0].timeLimitSeconds, 30)
    assert.deepEqual(quiz.questions[1].correct, ['true'])
    assert.deepEqual(quiz.questions[2].accepted, ['Jupiter'])

    const listed = await client.get(`/plugins/quizzes/courses/${f.course.id}/quizzes`).loginAs(f.teacher).accept('json')
    assert.deepEqual(listed.body().quizzes.map((q: any) => q.id), [quiz.id])

    const updated = await client
      .put(`/plugins/quizzes/quizzes/${quiz.id}`)
      .json({ ...quizBody, title: 'Week 3 check (v2)', questions: quizBody.questions.slice(0, 1) })
      .loginAs(f.teacher)
      .withCsrfToken()
      .accept('json')
    updated.assertStatus(200)
    const stored = await Quiz.findOrFail(quiz.id)
    assert.equal(stored.title, 'Week 3 check (v2)')
    assert.lengthOf(stored.questions, 1)

    const admin = await client.get(`/plugins/quizzes/courses/${f.course.id}/quizzes`).loginAs(f.admin).accept('json')
    admin.assertStatus(200)

    const deleted = await client.delete(`/plugins/quizzes/quizzes/${quiz.id}`).loginAs(f.teacher).withCsrfToken().accept('json')
    deleted.assertStatus(204)
    assert.isNull(await Quiz.find(quiz.id))
  })

  test('invalid quizzes are refused with the reason', async ({ client, assert }) => {
    const f = await createSchool()
    const url = `/plugins/quizzes/courses/${f.course.id}/quizzes`
    const twoRight = await client
      .post(url)
      .json({ title: 'Bad', questions: [{ type: 'single', prompt: 'Q', options: [{ label: 'a', correct: true }, { label: 'b', correct: true }] }] })
      .loginAs(f.teacher)
      .withCsrfToken()
      .accept('json')
    twoRight.assertStatus(422)
    assert.match(twoRight.body().errors[0].message, /Question 1: .*at most one correct/)
    for (const body of [{ title: 'Empty', questions: [] }, { title: '', questions: quizBody.questions }, { title: 'Type', questions: [{ type: 'essay', prompt: 'Q' }] }]) {
      const response = await client.post(url).json(body).loginAs(f.teacher).withCsrfToken().accept('json')
      response.assertStatus(422)
    }
    const noCsrf = await client.post(url).json(quizBody).loginAs(f.teacher).accept('json').redirects(0)
    /* Shield refuses a missing CSRF token by name (redirect back with E_BAD_CSRF_TOKEN); a 500 would not pass. */
    noCsrf.assertStatus(302)
    assert.match(JSON.stringify(noCsrf.flashMessages()), /E_BAD_CSRF_TOKEN/)
    assert.lengthOf(await Quiz.query().where('course_id', f.course.id), 0)
  })
})

test.group('Quizzes HTTP: who may see what', () => {
  test('users of another school get 404 for everything; students and other teachers get 403', async ({ client, assert }) => {
    const a = await createSchool()
    const b = await createSchool({ liveClass: true })
    const quiz = await Quiz.create({ schoolId: b.school.id, courseId: b.course.id, title: 'B quiz', questions: [], createdBy: b.teacher.id })
    await classWithResults(b)
    const reads = [
      `/plugins/quizzes/courses/${b.course.id}/quizzes`,
      `/plugins/quizzes/courses/${b.course.id}/results`,
      `/plugins/quizzes/sessions/${b.classSession.id}/results`,
      `/plugins/quizzes/sessions/${b.classSession.id}/export/csv`,
      `/plugins/quizzes/courses/${b.course.id}/export/xlsx`,
    ]
    for (const user of [a.admin, a.teacher]) {
      for (const url of reads) (await client.get(url).loginAs(user).accept('json')).assertStatus(404)
      ;(await client.put(`/plugins/quizzes/quizzes/${quiz.id}`).json(quizBody).loginAs(user).withCsrfToken().accept('json')).assertStatus(404)
      ;(await client.delete(`/plugins/quizzes/quizzes/${quiz.id}`).loginAs(user).withCsrfToken().accept('json')).assertStatus(404)
      ;(await client.post(`/plugins/quizzes/courses/${b.course.id}/quizzes`).json(quizBody).loginAs(user).withCsrfToken().accept('json')).assertStatus(404)
    }
    for (const user of [b.students[0], b.otherTeacher, b.parent]) {
      for (const url of reads) (await client.get(url).loginAs(user).accept('json')).assertStatus(403)
      const courses = await client.get('/plugins/quizzes/courses').loginAs(user).accept('json')
      assert.deepEqual(courses.body().courses, [])
    }
    assert.equal((await Quiz.findOrFail(quiz.id)).title, 'B quiz')
    ;(await client.get('/plugins/quizzes/sessions/abc/results').loginAs(b.teacher).accept('json')).assertStatus(404)
  })
})

test.group('Quizzes HTTP: results and exports', () => {
  test('past results list the class with its questions; anonymous polls have counts without names', async ({ client, assert }) => {
    const f = await createSchool({ liveClass: true })
    const { named, anonymous } = await classWithResults(f)
    const course = await client.get(`/plugins/quizzes/courses/${f.course.id}/results`).loginAs(f.teacher).accept('json')
    course.assertStatus(200)
    const [session] = course.body().sessions
    assert.equal(session.id, f.classSession.id)
    assert.deepEqual(session.runs.map((r: any) => [r.id, r.answers, r.correct, r.averageResponseMs]), [
      [named.id, 2, 1, 3250],
      [anonymous.id, 1, 0, null],
    ])

    const detail = await client.get(`/plugins/quizzes/sessions/${f.classSession.id}/results`).loginAs(f.teacher).accept('json')
    const [first, second] = detail.body().runs
    assert.sameMembers(first.tally.responses.map((r: any) => r.fullName), [f.students[0].fullName, f.students[1].fullName])
    assert.isNull(second.tally.responses)
  })

  test('CSV: one row per answer, names only for named questions, formulas neutralised', async ({ client, assert }) => {
    const f = await createSchool({ liveClass: true })
    await classWithResults(f)
    const response = await client.get(`/plugins/quizzes/sessions/${f.classSession.id}/export/csv`).loginAs(f.teacher)
    response.assertStatus(200)
    assert.match(response.header('content-type') ?? '', /^text\/csv/)
    assert.match(response.header('content-disposition') ?? '', /^attachment; filename="quiz-results-class-[\w-]+-\d{4}-\d\d-\d\d\.csv"$/)
    const lines = response.text().replace(/^\uFEFF/, '').trim().split('\r\n')
    assert.equal(lines[0], 'Class,Class date,Question no.,Quiz,Question,Type,Anonymous,Student,Answer,Correct,Response time (s),Answered at')
    assert.lengthOf(lines, 4)
    assert.include(lines[1], `,${f.students[0].fullName},Paris,yes,2.5,2026-01-05T09:00:02.500Z`)
    assert.include(lines[2], `,${f.students[1].fullName},"'=HYPERLINK(""x"")",no,4,`)
    assert.include(lines[3], ',I did my homework,True / false,yes,(anonymous),True,,,')
  })

  test('XLSX: an answers sheet and a per-question summary, readable by exceljs', async ({ client, assert }) => {
    const f = await createSchool({ liveClass: true })
    await classWithResults(f)
    const request = client.get(`/plugins/quizzes/courses/${f.course.id}/export/xlsx`).loginAs(f.admin)
    request.request.responseType('blob') // keep the body as a Buffer
    const response = await request
    response.assertStatus(200)
    assert.equal(response.header('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load(response.body() as any)
    const answers = workbook.getWorksheet('Answers')!
    assert.equal(answers.rowCount, 4)
    assert.equal(answers.getCell('H2').value, f.students[0].fullName)
    assert.equal(answers.getCell('I3').value, '=HYPERLINK("x")', 'a text cell, not a formula')
    assert.equal(answers.getCell('H4').value, '(anonymous)')
    const questions = workbook.getWorksheet('Questions')!
    assert.deepEqual(
      [2, 3].map((row) => [questions.getCell(`A${row}`).value, questions.getCell(`F${row}`).value, questions.getCell(`H${row}`).value]),
      [
        ['Capital of France?', 2, 50],
        ['I did my homework', 1, ''],
      ]
    )
  })
})
