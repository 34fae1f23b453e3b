/*
| The realtime permission matrix. It asks the gateway which events exist (core and every plugin)
| and who may send them, then sends each one as every role that must be refused, and checks:
| the error code, that nothing changed (database rows of the class, hands, mutes, quiz and breakout
| state) and that nothing was broadcast (a later event proves an earlier one would have arrived).
| Payloads come from permission_matrix_table.ts: an event without an entry fails the matrix.
*/
import { createHash } from 'node:crypto'
import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import Course from '#app/courses/models/course'
import ClassSession from '#app/classes/models/class_session'
import { participantsOf } from '#app/classes/presence'
import type { RegisteredEvent } from '#app/realtime/gateway'
import type { Ack } from '#app/realtime/events'
import { createSchool, PASSWORD, type SchoolFixture } from '#tests/helpers/fixtures'
import { loginCookies } from '#tests/helpers/http_login'
import { eventually } from '#tests/helpers/poll'
import { connect, nextEvent, send, sendOk, TEST_URL, type TestSocket } from '#tests/helpers/sockets'
import { EVENT_RULES, type MatrixTarget, type Who } from '#tests/realtime/permission_matrix_table'
import '#plugins/chat/events'
import '#plugins/quizzes/events'
import '#plugins/whiteboard/events'

/** Events per socket: below the gateway's 40 events a second, so the rate limit never answers. */
const PER_SOCKET = 30
const open: TestSocket[] = []

/** Sockets of one user, enough of them to send `count` events; joined to a class if given. */
async function actor(user: { email: string }, count: number, sessionId?: number) {
  const cookie = await loginCookies(TEST_URL, user.email, PASSWORD)
  const sockets: TestSocket[] = []
  for (let i = 0; i < Math.max(1, Math.ceil(count / PER_SOCKET)); i++) {
    const socket = await connect(cookie)
    open.push(socket)
    if (sessionId) await sendOk(socket, 'session:join', { sessionId })
    sockets.push(socket)
  }
  let sent = 0
  return {
    sockets,
    send: (event: string, payload: unknown): Promise<Ack> => send(sockets[Math.floor(sent++ / PER_SOCKET)], event as any, payload),
  }
}

/** Records every server event a socket receives. */
function recorder(socket: TestSocket) {
  const seen: { event: string; payload: unknown }[] = []
  socket.onAny((event, payload) => seen.push({ event, payload }))
  return seen
}

/**
 * A digest of every table: rows of class A only where a table has class_session_id (other tests'
 * classes may still be winding down), whole tables otherwise. Login throttling and the mail
 * outbox are left out: they change on their own; so are engagement's raw aggregates, written in the
 * background (every 2 s) from the joins and signals that came before the refused event.
 */
async function databaseDigest(sessionId: number) {
  const dialect = db.connection().dialect.name
  const tables: string[] =
    dialect === 'postgres'
      ? (await db.rawQuery(`select table_name from information_schema.tables where table_schema = 'public'`)).rows.map(
          (r: { table_name: string }) => r.table_name
        )
      : (await db.rawQuery(`select name from sqlite_master where type = 'table'`)).map((r: { name: string }) => r.name)
  const skipped = /^(adonis_schema.*|rate_limits|mail_outbox.*|engagement_contributions|sqlite_.*)$/
  const digest: Record<string, string> = {}
  for (const table of tables.filter((t) => !skipped.test(t)).sort()) {
    const columns = await db.connection().getWriteClient()(table).columnInfo()
    let query = db.from(table).select('*')
    if ('class_session_id' in columns) query = query.where('class_session_id', sessionId)
    else if (table === 'class_sessions') query = query.where('id', sessionId)
    const rows = (await query).map((row: unknown) => JSON.stringify(row)).sort()
    digest[table] = `${rows.length}:${createHash('sha1').update(rows.join('\n')).digest('hex').slice(0, 12)}`
  }
  return digest
}

/** What a teacher of class A can see of its live state. */
async function liveState(teacherSocket: TestSocket, sessionId: number) {
  const realtime = await app.container.make('realtime')
  const participants = (await participantsOf(realtime, sessionId)).map((p) => [p.userId, p.role, p.room, Boolean(p.handRaisedAt)])
  const chat = await sendOk(teacherSocket, 'chat:history', {})
  const { serverNow: _clock, ...quizzes } = await sendOk(teacherSocket, 'quizzes:state', {})
  const breakouts = await sendOk(teacherSocket, 'breakouts:state' as any, {})
  const board = await sendOk(teacherSocket, 'whiteboard:open', {})
  return JSON.stringify({ participants, mutes: chat.mutedUserIds, messages: chat.messages, quizzes, breakouts, board })
}

function codeOf(response: Ack) {
  return response.ok ? 'ok' : response.error.code
}

async function liveClassFor(school: SchoolFixture['school'], teacherId: number, studentIds: number[]) {
  const course = await Course.create({ schoolId: school.id, teacherId, name: 'Other course' })
  await course.related('students').attach(studentIds)
  return ClassSession.create({
    schoolId: school.id,
    courseId: course.id,
    teacherId,
    title: 'Other class',
    status: 'live',
    scheduledAt: DateTime.now(),
    startedAt: DateTime.now(),
    durationMinutes: 45,
  })
}

test.group('Realtime permission matrix', (group) => {
  group.each.teardown(() => open.splice(0).forEach((s) => s.disconnect()))

  test('every registered event is described, with a payload its validator accepts', async ({ assert }) => {
    const realtime = await app.container.make('realtime')
    const registered = realtime.gateway.describe()
    const names = registered.map((e) => e.event)
    assert.isAbove(registered.filter((e) => e.roles).length, 20, 'the gateway lists the restricted events')
    for (const plugin of ['chat', 'breakouts', 'quizzes', 'whiteboard', 'video', 'recording', 'attendance']) {
      assert.isTrue(names.some((n) => n.startsWith(`${plugin}:`)), `events of the ${plugin} plugin are registered`)
    }
    const undescribed = names.filter((n) => !(n in EVENT_RULES))
    assert.deepEqual(undescribed, [], 'add these events to tests/realtime/permission_matrix_table.ts')
    const stale = Object.keys(EVENT_RULES).filter((n) => !names.includes(n))
    assert.deepEqual(stale, [], 'these table entries name no registered event')

    const registeredWho = (e: RegisteredEvent): Who =>
      e.scope === 'connection' ? 'anyone' : e.roles?.length === 1 ? e.roles[0] : 'member'
    const differing = registered
      .filter((e) => registeredWho(e) !== EVENT_RULES[e.event].who)
      .map((e) => `${e.event}: registered for ${registeredWho(e)}, the table says ${EVENT_RULES[e.event].who}`)
    assert.deepEqual(differing, [], 'who may send each event')

    const target: MatrixTarget = { sessionId: 1, teacherId: 1, studentId: 2, messageId: 3, runId: 4, pageId: 'p1' }
    for (const event of registered) {
      try {
        await event.validator.validate(EVENT_RULES[event.event].payload(target))
      } catch (error) {
        assert.fail(`the table's payload for ${event.event} is invalid: ${JSON.stringify((error as any).messages ?? error)}`)
      }
    }
  })

  test('each restricted event is refused to every role that must be refused, changing and broadcasting nothing', async ({
    assert,
  }) => {
    const realtime = await app.container.make('realtime')
    const registered: RegisteredEvent[] = realtime.gateway.describe()
    const missing = registered.map((e) => e.event).filter((n) => !(n in EVENT_RULES))
    assert.deepEqual(missing, [], 'every event needs a payload in permission_matrix_table.ts')

    const a = await createSchool({ liveClass: true })
    const b = await createSchool({ liveClass: true })
    const sessionId = a.classSession.id

    /* Class A with something in it that a refused event could change. */
    const teacher = await actor(a.teacher, 10, sessionId)
    const observer = await actor(a.students[1], 1, sessionId)
    const teacherSocket = teacher.sockets[0]
    const { message } = await sendOk(teacherSocket, 'chat:send', { body: 'hello class A' })
    const { run } = await sendOk(teacherSocket, 'quizzes:launch', {
      question: { type: 'single', prompt: 'Ready?', options: [{ label: 'yes', correct: true }, { label: 'no' }] },
    } as any)
    const board = await sendOk(teacherSocket, 'whiteboard:open', {})
    const target: MatrixTarget = {
      sessionId,
      teacherId: a.teacher.id,
      studentId: a.students[0].id,
      messageId: message.id,
      runId: run.id,
      pageId: board.pageId,
    }

    /* The table, not the registration, says who must be refused: a registration that lost its roles is caught here too. */
    const sessionEvents = registered.filter((e) => EVENT_RULES[e.event].who !== 'anyone')
    const teacherOnly = registered.filter((e) => EVENT_RULES[e.event].who === 'teacher')
    const studentOnly = registered.filter((e) => EVENT_RULES[e.event].who === 'student')
    assert.includeMembers(teacherOnly.map((e) => e.event), ['chat:mute', 'session:end', 'breakouts:extend', 'video:force_off'])

    /* Who must be refused, and how. Members of class A acting outside their role get 'forbidden';
       everyone who may not join class A is refused at join and then is in no class at all. */
    const student = await actor(a.students[0], teacherOnly.length, sessionId)
    const raised = nextEvent(teacherSocket, 'presence:updated', (p) => p.participant.handRaisedAt !== null)
    await sendOk(student.sockets[0], 'presence:hand', { raised: true })
    await raised
    const teacherAsStudent = await actor(a.teacher, studentOnly.length, sessionId)
    const outsiders = [
      { name: 'a parent of a student of the class', user: a.parent, join: 'forbidden' },
      { name: 'a teacher of another course', user: a.otherTeacher, join: 'forbidden' },
      { name: 'a student of the school not enrolled in the course', user: a.outsider, join: 'forbidden' },
      { name: 'an admin of another school', user: b.admin, join: 'not_found' },
      { name: 'a teacher of another school', user: b.teacher, join: 'not_found' },
      { name: 'a student of another school', user: b.students[0], join: 'not_found' },
      { name: 'a parent of another school', user: b.parent, join: 'not_found' },
    ]
    const outsiderActors = []
    for (const outsider of outsiders) outsiderActors.push({ ...outsider, actor: await actor(outsider.user, sessionEvents.length + 1) })

    const listeners = [teacherSocket, observer.sockets[0], student.sockets[0]]
    const logs = listeners.map(recorder)
    const stateBefore = await liveState(teacherSocket, sessionId)
    const digestBefore = await databaseDigest(sessionId)
    logs.forEach((log) => log.splice(0))

    const wrong: string[] = []
    const expect = (who: string, event: string, response: Ack, code: string) => {
      if (codeOf(response) !== code) wrong.push(`${event} as ${who}: expected ${code}, got ${codeOf(response)}`)
    }
    for (const event of teacherOnly) {
      expect('a student of the class', event.event, await student.send(event.event, EVENT_RULES[event.event].payload(target)), 'forbidden')
    }
    for (const event of studentOnly) {
      expect('the class teacher', event.event, await teacherAsStudent.send(event.event, EVENT_RULES[event.event].payload(target)), 'forbidden')
    }
    for (const { name, actor: outsider, join } of outsiderActors) {
      expect(name, 'session:join', await outsider.send('session:join', { sessionId }), join)
      for (const event of sessionEvents) {
        expect(name, event.event, await outsider.send(event.event, EVENT_RULES[event.event].payload(target)), 'not_in_session')
      }
    }
    assert.deepEqual(wrong, [], 'refusals')

    assert.deepEqual(await databaseDigest(sessionId), digestBefore, 'the database is unchanged')
    logs.forEach((log) => log.splice(0)) // liveState's own acks are not broadcasts, but keep the window clean
    assert.equal(await liveState(teacherSocket, sessionId), stateBefore, 'the live state is unchanged')

    /* Nothing was broadcast: a reaction sent now reaches every listener, after anything the refused events sent. */
    logs.forEach((log) => log.splice(0))
    const marks = listeners.map((s) => nextEvent(s, 'presence:reaction', (r) => r.emoji === '🎉'))
    await sendOk(observer.sockets[0], 'presence:react', { emoji: '🎉' })
    await Promise.all(marks)
    for (const log of logs) assert.deepEqual(log.map((e) => e.event), ['presence:reaction'])
  }).timeout(120_000)

  test('a teacher of another class aiming teacher-only events at class A changes and broadcasts nothing there', async ({
    assert,
  }) => {
    const realtime = await app.container.make('realtime')
    const teacherOnly = realtime.gateway.describe().filter((e) => EVENT_RULES[e.event]?.who === 'teacher')
    const a = await createSchool({ liveClass: true })
    const b = await createSchool({ liveClass: true })
    const sessionId = a.classSession.id
    const teacher = await actor(a.teacher, 10, sessionId)
    const student = await actor(a.students[0], 1, sessionId)
    const teacherSocket = teacher.sockets[0]
    const { message } = await sendOk(teacherSocket, 'chat:send', { body: 'hello class A' })
    const { run } = await sendOk(teacherSocket, 'quizzes:launch', {
      question: { type: 'single', prompt: 'Ready?', options: [{ label: 'yes', correct: true }, { label: 'no' }] },
    } as any)
    const board = await sendOk(teacherSocket, 'whiteboard:open', {})
    const raised = nextEvent(teacherSocket, 'presence:updated', (p) => p.participant.handRaisedAt !== null)
    await sendOk(student.sockets[0], 'presence:hand', { raised: true })
    await raised
    const target: MatrixTarget = {
      sessionId,
      teacherId: a.teacher.id,
      studentId: a.students[0].id,
      messageId: message.id,
      runId: run.id,
      pageId: board.pageId,
    }

    /* The teacher of another course of the same school, and the teacher of another school, each in
       their own live class, sending every teacher-only event with class A's ids. Session-ending
       events go last so that the others still run inside a live class. */
    const sameSchool = await liveClassFor(a.school, a.otherTeacher.id, [])
    const others = [
      await actor(a.otherTeacher, teacherOnly.length, sameSchool.id),
      await actor(b.teacher, teacherOnly.length, b.classSession.id),
    ]
    const listeners = [teacherSocket, student.sockets[0]]
    const logs = listeners.map(recorder)
    const stateBefore = await liveState(teacherSocket, sessionId)
    logs.forEach((log) => log.splice(0))
    const ordered = [...teacherOnly.filter((e) => e.event !== 'session:end'), ...teacherOnly.filter((e) => e.event === 'session:end')]
    for (const other of others) {
      for (const event of ordered) await other.send(event.event, EVENT_RULES[event.event].payload(target))
    }
    const marks = listeners.map((s) => nextEvent(s, 'presence:reaction', (r) => r.emoji === '🎉'))
    await sendOk(student.sockets[0], 'presence:react', { emoji: '🎉' })
    await Promise.all(marks)
    for (const log of logs) {
      const reached = log.map((e) => e.event)
      assert.deepEqual(reached, ['presence:reaction'], 'nothing reached class A')
    }
    logs.forEach((log) => log.splice(0))
    assert.equal(await liveState(teacherSocket, sessionId), stateBefore, 'class A is unchanged')
    await a.classSession.refresh()
    assert.equal(a.classSession.status, 'live')
  }).timeout(120_000)

  test('the gateway refuses a socket sending more than 40 events a second', async ({ assert }) => {
    const { students } = await createSchool()
    const cookie = await loginCookies(TEST_URL, students[0].email, PASSWORD)
    const socket = await connect(cookie)
    open.push(socket)
    /* 60 events emitted at once land in one window of a second: the first 40 reach the rules
       (this socket is in no class, hence not_in_session), the other 20 are refused unread. */
    const responses = await Promise.all(Array.from({ length: 60 }, () => send(socket, 'chat:history', {})))
    const codes = responses.map(codeOf)
    assert.deepEqual(codes, [...Array(40).fill('not_in_session'), ...Array(20).fill('rate_limited')])
    /* The limit is per socket: another socket of the same user is not affected. */
    const other = await connect(cookie)
    open.push(other)
    assert.equal(codeOf(await send(other, 'chat:history', {})), 'not_in_session')
    /* The window is a second: once it has passed, the limited socket is served again. */
    await eventually('the limited socket is served in a later window', async () => codeOf(await send(socket, 'chat:history', {})) === 'not_in_session', {
      timeoutMs: 5000,
      intervalMs: 250,
    })
  })
})
