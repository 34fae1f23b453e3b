import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import ExcelJS from 'exceljs'
import db from '@adonisjs/lucid/services/db'
import { createSchool, type SchoolFixture } from '#tests/helpers/fixtures'
import { emptyContribution } from '../../aggregate.js'
import { writeContributions } from '../../store.js'

const even = { camera: 20, quiz: 20, chat: 20, whiteboard: 20, attendance: 20 }
const chatOnly = { camera: 0, quiz: 0, chat: 100, whiteboard: 0, attendance: 0 }
const settingsBody = (weights: Record<string, number>, extra: Record<string, unknown> = {}) => ({
  weights,
  atRiskThreshold: 40,
  atRiskWindow: 5,
  studentsSeeOwn: true,
  parentsSeeChild: true,
  ...extra,
})

/** An ended class in which student 1 chatted 5 times and student 2 drew 20 elements (raw aggregates as the recorder writes them). */
async function endedClass(f: SchoolFixture) {
  f.classSession.merge({ status: 'ended', startedAt: DateTime.now().minus({ hours: 1 }), endedAt: DateTime.now().minus({ minutes: 5 }) })
  await f.classSession.save()
  await writeContributions([
    { sessionId: f.classSession.id, userId: f.students[0].id, contributor: 'test', version: 1, data: { ...emptyContribution(), v: 1, chat: 5 } },
    { sessionId: f.classSession.id, userId: f.students[1].id, contributor: 'test', version: 1, data: { ...emptyContribution(), v: 1, wb: 20 } },
  ])
}

const storedScore = async (f: SchoolFixture, student: number) =>
  Number((await db.from('engagement_scores').where({ class_session_id: f.classSession.id, user_id: f.students[student].id }).first())?.score)

test.group('Engagement API: settings', () => {
  test('only admins read and write them; weights must be 0–100 integers summing to 100', async ({ client, assert }) => {
    const f = await createSchool()
    const put = (user: any, body: unknown) => client.put('/plugins/engagement/settings').json(body).loginAs(user).withCsrfToken().accept('json')
    ;(await client.get('/plugins/engagement/settings').loginAs(f.teacher).accept('json')).assertStatus(403)
    ;(await put(f.teacher, settingsBody(even))).assertStatus(403)
    ;(await put(f.students[0], settingsBody(even))).assertStatus(403)
    for (const weights of [
      { ...even, camera: 21 },
      { ...even, camera: 30, quiz: 10.5, chat: 19.5 },
      { ...even, camera: -20, quiz: 60 },
      { camera: 100 },
    ]) {
      ;(await put(f.admin, settingsBody(weights))).assertStatus(422)
    }
    ;(await put(f.admin, settingsBody(even, { atRiskThreshold: 101 }))).assertStatus(422)
    ;(await put(f.admin, settingsBody(even, { atRiskWindow: 0 }))).assertStatus(422)
    assert.notExists(await db.from('engagement_settings').where('school_id', f.school.id).first(), 'nothing stored')

    ;(await put(f.admin, settingsBody(chatOnly, { atRiskThreshold: 55 }))).assertStatus(200)
    const read = await client.get('/plugins/engagement/settings').loginAs(f.admin).accept('json')
    assert.deepEqual(read.body().settings.weights, chatOnly)
    assert.equal(read.body().settings.atRiskThreshold, 55)

    const other = await createSchool()
    const foreign = await client.get('/plugins/engagement/settings').loginAs(other.admin).accept('json')
    assert.deepEqual(foreign.body().settings.weights, even, 'another school keeps its own (default) weights')
  })

  test('the preview shows last week under new weights without saving; saving recomputes the stored scores', async ({ client, assert }) => {
    const f = await createSchool()
    await endedClass(f)
    const save = (weights: Record<string, number>) =>
      client.put('/plugins/engagement/settings').json(settingsBody(weights)).loginAs(f.admin).withCsrfToken().accept('json')

    ;(await save(chatOnly)).assertStatus(200)
    assert.equal(await storedScore(f, 0), 100)
    assert.equal(await storedScore(f, 1), 0)

    const boardOnly = { camera: 0, quiz: 0, chat: 0, whiteboard: 100, attendance: 0 }
    const preview = await client.post('/plugins/engagement/settings/preview').json({ weights: boardOnly }).loginAs(f.admin).withCsrfToken().accept('json')
    preview.assertStatus(200)
    const row = (id: number) => preview.body().students.find((s: any) => s.userId === id)
    assert.include(row(f.students[0].id), { current: 100, preview: 0 })
    assert.include(row(f.students[1].id), { current: 0, preview: 100 })
    assert.equal(await storedScore(f, 0), 100, 'a preview stores nothing')
    ;(await client.post('/plugins/engagement/settings/preview').json({ weights: { ...boardOnly, chat: 5 } }).loginAs(f.admin).withCsrfToken().accept('json')).assertStatus(422)

    const saved = await save(boardOnly)
    assert.equal(saved.body().recomputed, 3, 'three enrolled students re-scored')
    assert.equal(await storedScore(f, 0), 0)
    assert.equal(await storedScore(f, 1), 100)
  })
})

test.group('Engagement API: who reads which scores', () => {
  test('class scores: the class teacher and admins of the school only', async ({ client, assert }) => {
    const f = await createSchool()
    await endedClass(f)
    await client.put('/plugins/engagement/settings').json(settingsBody(chatOnly)).loginAs(f.admin).withCsrfToken().accept('json')
    const url = `/plugins/engagement/sessions/${f.classSession.id}/scores`

    const mine = await client.get(url).loginAs(f.teacher).accept('json')
    mine.assertStatus(200)
    const first = mine.body().scores.find((s: any) => s.userId === f.students[0].id)
    assert.equal(first.score, 100)
    assert.deepEqual(
      first.parts.slice(0, 4).map((p: any) => [p.signal, p.notMeasured === null ? p.effectiveWeight : p.notMeasured]),
      [['camera', 0], ['quiz', 'no_data'], ['chat', 100], ['whiteboard', 0]],
      'the explanation names each signal'
    )
    assert.include(first.parts[4], { signal: 'attendance', value: null }, 'no attendance verdict: not measured')
    assert.include(first.parts[2].detail, { messages: 5, cap: 5 })
    ;(await client.get(url).loginAs(f.admin).accept('json')).assertStatus(200)
    const listed = async (user: any) => (await client.get('/plugins/engagement/classes').loginAs(user).accept('json')).body().classes.map((c: any) => c.id)
    assert.deepEqual(await listed(f.teacher), [f.classSession.id], 'the teacher’s dashboard lists the scored class')
    assert.deepEqual(await listed(f.otherTeacher), [])
    ;(await client.get('/plugins/engagement/classes').loginAs(f.students[0]).accept('json')).assertStatus(403)
    ;(await client.get(url).loginAs(f.otherTeacher).accept('json')).assertStatus(403)
    ;(await client.get(url).loginAs(f.students[0]).accept('json')).assertStatus(403)
    ;(await client.get(url).loginAs(f.parent).accept('json')).assertStatus(403)
    const other = await createSchool()
    ;(await client.get(url).loginAs(other.admin).accept('json')).assertStatus(404)
    ;(await client.get('/plugins/engagement/sessions/abc/scores').loginAs(f.admin).accept('json')).assertStatus(422)
  })

  test('a student reads only their own, a parent only their child, each as the school allows', async ({ client, assert }) => {
    const f = await createSchool()
    await endedClass(f)
    await client.put('/plugins/engagement/settings').json(settingsBody(chatOnly)).loginAs(f.admin).withCsrfToken().accept('json')
    const scoresOf = (user: any, studentId: number) => client.get(`/plugins/engagement/students/${studentId}/scores`).loginAs(user).accept('json')

    const own = await scoresOf(f.students[0], f.students[0].id)
    own.assertStatus(200)
    assert.deepEqual(own.body().scores.map((s: any) => s.score), [100])
    ;(await scoresOf(f.students[0], f.students[1].id)).assertStatus(404)
    ;(await scoresOf(f.parent, f.students[0].id)).assertStatus(200) // the fixture's parent is student 1's
    ;(await scoresOf(f.parent, f.students[1].id)).assertStatus(404)
    ;(await scoresOf(f.teacher, f.students[1].id)).assertStatus(200)
    ;(await scoresOf(f.otherTeacher, f.students[1].id)).assertStatus(404)
    const other = await createSchool()
    for (const user of [other.admin, other.students[0], other.parent, other.teacher]) {
      ;(await scoresOf(user, f.students[0].id)).assertStatus(404)
    }

    await client
      .put('/plugins/engagement/settings')
      .json(settingsBody(chatOnly, { studentsSeeOwn: false, parentsSeeChild: false }))
      .loginAs(f.admin)
      .withCsrfToken()
      .accept('json')
    ;(await scoresOf(f.students[0], f.students[0].id)).assertStatus(403)
    ;(await scoresOf(f.parent, f.students[0].id)).assertStatus(403)
    assert.deepEqual((await client.get('/plugins/engagement/me').loginAs(f.parent).accept('json')).body().students, [])
  })

  test('the at-risk list and its CSV / XLSX exports are the school admin’s, with the signals that made each score', async ({ client, assert }) => {
    const f = await createSchool()
    await endedClass(f)
    await client.put('/plugins/engagement/settings').json(settingsBody(chatOnly)).loginAs(f.admin).withCsrfToken().accept('json')
    const list = await client.get('/plugins/engagement/at-risk').loginAs(f.admin).accept('json')
    list.assertStatus(200)
    const byId = new Map(list.body().students.map((s: any) => [s.userId, s]))
    assert.include(byId.get(f.students[1].id), { atRisk: true, low: true, mean: 0 })
    assert.include(byId.get(f.students[0].id), { atRisk: false, mean: 100 })
    assert.isTrue(list.body().attendanceLinks, 'attendance is on: the list links to its student pages')
    ;(await client.get('/plugins/engagement/at-risk').loginAs(f.teacher).accept('json')).assertStatus(403)
    const other = await createSchool()
    const foreign = await client.get('/plugins/engagement/at-risk').loginAs(other.admin).accept('json')
    assert.deepEqual(foreign.body().students, [], 'another school sees none of these students')

    const csv = await client.get('/plugins/engagement/at-risk/export/csv').loginAs(f.admin)
    csv.assertStatus(200)
    assert.include(csv.text(), 'Student 2,yes,yes')
    assert.include(csv.text(), '100 % × 100 %')
    const request = client.get('/plugins/engagement/at-risk/export/xlsx').loginAs(f.admin)
    request.request.responseType('blob') // keep the body as a Buffer
    const xlsx = await request
    xlsx.assertStatus(200)
    const book = new ExcelJS.Workbook()
    await book.xlsx.load(xlsx.body() as any)
    assert.equal(book.getWorksheet('At risk')!.getRow(1).getCell(1).value, 'Student')
    ;(await client.get('/plugins/engagement/at-risk/export/pdf').loginAs(f.admin).accept('json')).assertStatus(422)
    ;(await client.get('/plugins/engagement/at-risk/export/csv').loginAs(f.teacher)).assertStatus(403)
  })
})
