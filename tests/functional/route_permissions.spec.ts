/*
| The HTTP permission matrix. It walks the router's route list (core and plugin routes), and sends
| each restricted route as every user who must be refused: logged out, and, depending on the rule
| in route_permissions_table.ts, students, parents, teachers of another course, students outside
| the course and every role of another school. Refusals are 401/403/404 and change nothing in the
| database. A route without an entry in the table fails the matrix.
*/
import { createHash, randomUUID } from 'node:crypto'
import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import router from '@adonisjs/core/services/router'
import ClassSession from '#app/classes/models/class_session'
import OutboxMail from '#app/mail/models/outbox_mail'
import Quiz from '#plugins/quizzes/models/quiz'
import Recording from '#plugins/recording/models/recording'
import WhiteboardFile from '#plugins/whiteboard/models/whiteboard_file'
import { createSchool, PASSWORD } from '#tests/helpers/fixtures'
import { loginCookies } from '#tests/helpers/http_login'
import { TEST_URL } from '#tests/helpers/sockets'
import { ROUTE_RULES, type RouteTarget, type RouteWho } from '#tests/functional/route_permissions_table'

interface Client {
  name: string
  request(method: string, path: string, body?: Record<string, unknown>): Promise<number>
}

async function clientFor(name: string, user: { email: string } | null): Promise<Client> {
  let cookie: string
  if (user) {
    cookie = await loginCookies(TEST_URL, user.email, PASSWORD)
  } else {
    const page = await fetch(`${TEST_URL}/login`, { redirect: 'manual' })
    cookie = page.headers
      .getSetCookie()
      .map((line) => line.split(';')[0])
      .join('; ')
  }
  const xsrf = decodeURIComponent(/XSRF-TOKEN=([^;]*)/.exec(cookie)?.[1] ?? '')
  return {
    name,
    async request(method, path, body) {
      const response = await fetch(`${TEST_URL}${path}`, {
        method,
        redirect: 'manual',
        headers: { 'accept': 'application/json', 'content-type': 'application/json', 'x-xsrf-token': xsrf, 'cookie': cookie },
        body: method === 'GET' ? undefined : JSON.stringify(body ?? {}),
      })
      await response.arrayBuffer()
      return response.status
    },
  }
}

/**
 * A digest of every table's rows, restricted to the schools and classes under test where a table
 * says whose rows they are (class_session_id, else school_id): other tests' classes may still be
 * winding down (attendance, engagement, mail). Login throttling is left out.
 */
async function databaseDigest(scope: { schoolIds: number[]; sessionIds: number[] }) {
  const dialect = db.connection().dialect.name
  const tables: string[] =
    dialect === 'postgres'
      ? (await db.rawQuery(`select table_name from information_schema.tables where table_schema = 'public'`)).rows.map(
          (r: { table_name: string }) => r.table_name
        )
      : (await db.rawQuery(`select name from sqlite_master where type = 'table'`)).map((r: { name: string }) => r.name)
  const digest: Record<string, string> = {}
  for (const table of tables.filter((t) => !/^(adonis_schema.*|rate_limits|sqlite_.*)$/.test(t)).sort()) {
    const columns = await db.connection().getWriteClient()(table).columnInfo()
    let query = db.from(table).select('*')
    if ('class_session_id' in columns) query = query.whereIn('class_session_id', scope.sessionIds)
    else if ('school_id' in columns) query = query.whereIn('school_id', scope.schoolIds)
    const rows = (await query).map((row: unknown) => JSON.stringify(row)).sort()
    digest[table] = `${rows.length}:${createHash('sha1').update(rows.join('\n')).digest('hex').slice(0, 12)}`
  }
  return digest
}

function registeredRoutes() {
  const routes: string[] = []
  for (const domainRoutes of Object.values(router.toJSON())) {
    for (const route of domainRoutes) {
      for (const method of route.methods.filter((m) => m !== 'HEAD')) routes.push(`${method} ${route.pattern}`)
    }
  }
  return [...new Set(routes)].sort()
}

test.group('HTTP permission matrix', () => {
  test('every route the router knows is described', async ({ assert }) => {
    const routes = registeredRoutes()
    assert.isAbove(routes.length, 40)
    assert.deepEqual(routes.filter((r) => !(r in ROUTE_RULES)), [], 'add these routes to tests/functional/route_permissions_table.ts')
    assert.deepEqual(Object.keys(ROUTE_RULES).filter((r) => !routes.includes(r)), [], 'these table entries name no route')
  })

  test('each restricted route refuses every user who must be refused, changing nothing', async ({ assert }) => {
    const a = await createSchool({ liveClass: true })
    const b = await createSchool({ liveClass: true })
    const scheduled = await ClassSession.create({
      schoolId: a.school.id,
      courseId: a.course.id,
      teacherId: a.teacher.id,
      title: 'Scheduled',
      status: 'scheduled',
      scheduledAt: DateTime.now().plus({ hours: 2 }),
      durationMinutes: 45,
    })
    const quiz = await Quiz.create({ schoolId: a.school.id, courseId: a.course.id, title: 'A quiz', questions: [], createdBy: a.teacher.id })
    const mail = await OutboxMail.create({
      idempotencyKey: `matrix:${randomUUID()}`,
      schoolId: a.school.id,
      source: 'core',
      toAddress: a.parent.email,
      toName: null,
      subject: 'Matrix',
      textBody: 'Matrix',
      htmlBody: null,
      status: 'failed',
      attempts: 5,
      nextAttemptAtMs: Date.now() + 86_400_000,
      claimToken: null,
      claimedUntilMs: null,
      lastError: 'matrix',
      messageId: `<${randomUUID()}@test.aula>`,
      sentAt: null,
    } as any)
    const recording = await Recording.create({
      classSessionId: a.classSession.id,
      schoolId: a.school.id,
      courseId: a.course.id,
      recordingKey: randomUUID(),
      title: a.classSession.title,
      state: 'ready',
      width: 1280,
      height: 720,
      startedAt: DateTime.now().minus({ hours: 1 }),
      endedAt: DateTime.now(),
      durationMs: 3_600_000,
      sizeBytes: 200_000,
    } as any)
    const file = await WhiteboardFile.create({
      fileKey: randomUUID().replaceAll('-', ''),
      classSessionId: a.classSession.id,
      schoolId: a.school.id,
      path: `${process.cwd()}/package.json`,
      mimeType: 'image/png',
      width: 1,
      height: 1,
      bytes: 1,
    } as any)
    const target: RouteTarget = {
      courseId: a.course.id,
      classId: a.classSession.id,
      scheduledClassId: scheduled.id,
      studentId: a.students[1].id,
      parentId: a.parent.id,
      groupId: a.group.id,
      quizId: quiz.id,
      mailId: mail.id,
      recordingId: recording.id,
      fileKey: file.fileKey,
      recordStudentId: a.students[0].id,
    }

    const anonymous = await clientFor('a logged-out visitor', null)
    const admin = await clientFor('an admin of the school', a.admin)
    const c = {
      teacher: await clientFor('a teacher of the school (not of the course)', a.otherTeacher),
      student: await clientFor('a student of the course', a.students[0]),
      outsider: await clientFor('a student of the school outside the course', a.outsider),
      parent: await clientFor('a parent of a student of the course', a.parent),
      courseTeacher: await clientFor('the course teacher', a.teacher),
      bAdmin: await clientFor('an admin of another school', b.admin),
      bTeacher: await clientFor('a teacher of another school', b.teacher),
      bStudent: await clientFor('a student of another school', b.students[0]),
      bParent: await clientFor('a parent of another school', b.parent),
    }
    const otherSchool = [c.bAdmin, c.bTeacher, c.bStudent, c.bParent]
    const refused: Record<RouteWho, Client[]> = {
      public: [],
      guest: [],
      user: [anonymous],
      staff: [anonymous, c.student, c.outsider, c.parent, c.bStudent, c.bParent],
      admin: [anonymous, c.courseTeacher, c.teacher, c.student, c.outsider, c.parent],
      admin_scoped: [anonymous, c.courseTeacher, c.teacher, c.student, c.outsider, c.parent, ...otherSchool],
      course_teacher: [anonymous, c.teacher, c.student, c.outsider, c.parent, ...otherSchool],
      class_teacher_only: [anonymous, admin, c.teacher, c.student, c.outsider, c.parent, ...otherSchool],
      student_record: [anonymous, c.teacher, c.outsider, ...otherSchool],
      class_member: [anonymous, c.teacher, c.outsider, c.parent, ...otherSchool],
      family_reviewer: [anonymous, c.teacher, c.outsider, ...otherSchool],
      recording_viewer: [anonymous, c.teacher, c.outsider, ...otherSchool],
    }

    const scope = { schoolIds: [a.school.id, b.school.id], sessionIds: [a.classSession.id, scheduled.id, b.classSession.id] }
    const before = await databaseDigest(scope)
    const wrong: string[] = []
    let checked = 0
    for (const route of registeredRoutes()) {
      const rule = ROUTE_RULES[route]
      if (!rule) continue // reported by the test above
      const [method] = route.split(' ')
      for (const client of refused[rule.who]) {
        const status = await client.request(method, rule.path(target), rule.body?.(target))
        checked++
        const expected = client === anonymous ? [401] : [403, 404]
        if (!expected.includes(status)) wrong.push(`${route} as ${client.name}: ${status}, expected ${expected.join(' or ')}`)
      }
    }
    assert.deepEqual(wrong, [], 'refusals')

    /* The same requests reach their handler for someone allowed (read-only routes), so the refusals
       above come from the rules, not from a wrong path or a missing record. */
    const allowed: Partial<Record<RouteWho, Client>> = {
      user: c.student,
      staff: c.courseTeacher,
      admin,
      admin_scoped: admin,
      course_teacher: c.courseTeacher,
      class_teacher_only: c.courseTeacher,
      student_record: admin,
      class_member: c.student,
      family_reviewer: c.parent,
      recording_viewer: c.student,
    }
    const notReached: string[] = []
    for (const route of registeredRoutes().filter((r) => r.startsWith('GET ') && ROUTE_RULES[r])) {
      const rule = ROUTE_RULES[route]
      const client = allowed[rule.who]
      if (!client || rule.noFileHere) continue
      const status = await client.request('GET', rule.path(target))
      if ([401, 403, 404].includes(status)) notReached.push(`${route} as ${client.name}: ${status}`)
    }
    assert.deepEqual(notReached, [], 'allowed users get through')
    assert.isAbove(checked, 200)
    assert.deepEqual(await databaseDigest(scope), before, 'the database is unchanged')
  }).timeout(120_000)
})
