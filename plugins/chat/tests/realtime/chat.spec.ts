import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import ChatMessage from '../../models/chat_message.js'
import { createSchool } from '#tests/helpers/fixtures'
import { nextEvent, send, sendOk, socketTracker, watchAbsence } from '#tests/helpers/sockets'
import { startAppProcess, TEST_REDIS_URL, useAppProcessesOnRedis } from '#tests/helpers/app_process'
import '../../events.js'

const sockets = socketTracker()
const joined = sockets.joined

test.group('Chat plugin: realtime', (group) => {
  group.each.teardown(() => sockets.closeAll())

  test('a message reaches the other participants and is persisted as sent', async ({ assert }) => {
    const { teacher, students, classSession } = await createSchool({ liveClass: true })
    const teacherSocket = await joined(teacher, classSession.id)
    const other = await joined(students[1], classSession.id)
    const sender = await joined(students[0], classSession.id)

    const atTeacher = nextEvent(teacherSocket, 'chat:message')
    const atOther = nextEvent(other, 'chat:message')
    const { message } = await sendOk(sender, 'chat:send', { body: '  <b>2 + 2</b> = 4  ' })
    assert.equal(message.body, '<b>2 + 2</b> = 4')
    assert.deepEqual((await atTeacher).message, message)
    assert.deepEqual((await atOther).message, message)

    const stored = await ChatMessage.findOrFail(message.id)
    assert.equal(stored.userId, students[0].id)
    assert.equal(stored.classSessionId, classSession.id)

    const history = await sendOk(other, 'chat:history', {})
    assert.deepEqual(history.messages.map((m) => m.id), [message.id])
  })

  test('messages never reach another class', async ({ assert }) => {
    const a = await createSchool({ liveClass: true })
    const b = await createSchool({ liveClass: true })
    const listener = await joined(b.students[0], b.classSession.id)
    const sender = await joined(a.students[0], a.classSession.id)
    const silent = watchAbsence(listener, 'chat:message')
    await sendOk(sender, 'chat:send', { body: 'only for class A' })
    assert.isTrue(await silent.settle(listener))
  })

  test('empty, oversized and malformed messages are rejected and not stored', async ({ assert }) => {
    const { students, classSession } = await createSchool({ liveClass: true })
    const socket = await joined(students[0], classSession.id)
    const cases = [
      [{ body: '   ' }, 'invalid'],
      [{ body: 'x'.repeat(501) }, 'invalid'],
      [{ body: 'x'.repeat(20_000) }, 'too_large'],
      [{ body: 42 }, 'invalid'],
      [{}, 'invalid'],
    ] as const
    for (const [payload, code] of cases) {
      const response = await send(socket, 'chat:send', payload)
      assert.equal(!response.ok && response.error.code, code, JSON.stringify(payload).slice(0, 40))
    }
    const stored = await ChatMessage.query().where('class_session_id', classSession.id)
    assert.lengthOf(stored, 0)
  })

  test('the teacher deletes a message; students cannot', async ({ assert }) => {
    const { teacher, students, classSession } = await createSchool({ liveClass: true })
    const teacherSocket = await joined(teacher, classSession.id)
    const student = await joined(students[0], classSession.id)
    const { message } = await sendOk(student, 'chat:send', { body: 'oops' })

    const refused = await send(student, 'chat:delete', { messageId: message.id })
    assert.equal(!refused.ok && refused.error.code, 'forbidden')

    const deleted = nextEvent(student, 'chat:deleted')
    await sendOk(teacherSocket, 'chat:delete', { messageId: message.id })
    assert.deepEqual(await deleted, { messageId: message.id })
    const history = await sendOk(student, 'chat:history', {})
    assert.lengthOf(history.messages, 0)
    const stored = await ChatMessage.findOrFail(message.id)
    assert.isNotNull(stored.deletedAt)

    // A message of another class is not this teacher's to delete.
    const elsewhere = await createSchool({ liveClass: true })
    const theirs = await sendOk(await joined(elsewhere.students[0], elsewhere.classSession.id), 'chat:send', { body: 'mine' })
    assert.equal((await send(teacherSocket, 'chat:delete', { messageId: theirs.message.id }).then((r) => !r.ok && r.error.code)), 'not_found')
    assert.isNull((await ChatMessage.findOrFail(theirs.message.id)).deletedAt)
  })

  test('a muted student cannot write until unmuted', async ({ assert }) => {
    const { teacher, students, classSession } = await createSchool({ liveClass: true })
    const teacherSocket = await joined(teacher, classSession.id)
    const student = await joined(students[0], classSession.id)
    const notice = nextEvent(student, 'chat:muted')
    await sendOk(teacherSocket, 'chat:mute', { userId: students[0].id, muted: true })
    assert.deepEqual(await notice, { userId: students[0].id, muted: true })
    const refused = await send(student, 'chat:send', { body: 'let me talk' })
    assert.equal(!refused.ok && refused.error.code, 'forbidden')
    await sendOk(teacherSocket, 'chat:mute', { userId: students[0].id, muted: false })
    await sendOk(student, 'chat:send', { body: 'thanks' })
  })

  test('the teacher mutes only students of the class: one not yet in class, never anyone else', async ({ assert }) => {
    const { teacher, students, outsider, otherTeacher, parent, classSession } = await createSchool({ liveClass: true })
    const stranger = (await createSchool({ liveClass: true })).students[0]
    const teacherSocket = await joined(teacher, classSession.id)
    const student = await joined(students[0], classSession.id)
    const quiet = watchAbsence(student, 'chat:muted')
    for (const [userId, who] of [
      [outsider.id, 'a student of the school outside the course'],
      [otherTeacher.id, 'a teacher of the school outside the class'],
      [parent.id, 'a parent'],
      [stranger.id, 'a student of another school'],
    ] as const) {
      const refused = await send(teacherSocket, 'chat:mute', { userId, muted: true })
      assert.equal(!refused.ok && refused.error.code, 'not_found', who)
    }
    // A teacher in the class (here the teacher themself) is never muted, and is told why.
    const teacherMuted = await send(teacherSocket, 'chat:mute', { userId: teacher.id, muted: true })
    assert.equal(!teacherMuted.ok && teacherMuted.error.code, 'invalid', 'a teacher in class')
    assert.isTrue(await quiet.settle(teacherSocket), 'a refused mute was announced')
    assert.deepEqual((await sendOk(student, 'chat:history', {})).mutedUserIds, [])

    // A student in class is muted although the admin took them off the course meanwhile (they are still here).
    await db.from('course_enrollments').where('student_id', students[0].id).delete()
    await sendOk(teacherSocket, 'chat:mute', { userId: students[0].id, muted: true })
    assert.equal((await send(student, 'chat:send', { body: 'still here' }).then((r) => !r.ok && r.error.code)), 'forbidden')
    await sendOk(teacherSocket, 'chat:mute', { userId: students[0].id, muted: false })

    // An enrolled student who has not joined yet is muted when they come.
    await sendOk(teacherSocket, 'chat:mute', { userId: students[1].id, muted: true })
    const late = await joined(students[1], classSession.id)
    assert.deepEqual((await sendOk(late, 'chat:history', {})).mutedUserIds, [students[1].id])
    const refused = await send(late, 'chat:send', { body: 'hello?' })
    assert.equal(!refused.ok && refused.error.code, 'forbidden')
  })

  test('students are rate limited by the school setting', async ({ assert, client }) => {
    const { admin, students, classSession } = await createSchool({ liveClass: true })
    await client
      .put('/admin/plugins/chat')
      .json({ enabled: true, settings: { studentsMayChat: true, maxMessageLength: 500, messagesPerMinute: 3 } })
      .loginAs(admin)
      .withCsrfToken()
      .accept('json')
    const student = await joined(students[0], classSession.id)
    for (let i = 0; i < 3; i++) await sendOk(student, 'chat:send', { body: `message ${i}` })
    const limited = await send(student, 'chat:send', { body: 'one too many' })
    assert.equal(!limited.ok && limited.error.code, 'rate_limited')
  })

  test('school settings apply live: read-only chat for students, then the plugin switched off', async ({ assert, client }) => {
    const { admin, teacher, students, classSession } = await createSchool({ liveClass: true })
    const teacherSocket = await joined(teacher, classSession.id)
    const student = await joined(students[0], classSession.id)

    const update = nextEvent(student, 'plugins:updated')
    await client
      .put('/admin/plugins/chat')
      .json({ enabled: true, settings: { studentsMayChat: false, maxMessageLength: 500, messagesPerMinute: 12 } })
      .loginAs(admin)
      .withCsrfToken()
      .accept('json')
    const pushed = (await update).plugins.find((p) => p.id === 'chat')
    assert.isFalse(pushed?.settings.studentsMayChat)
    const refused = await send(student, 'chat:send', { body: 'hello?' })
    assert.equal(!refused.ok && refused.error.code, 'forbidden')
    await sendOk(teacherSocket, 'chat:send', { body: 'teachers still may' })

    const disabled = nextEvent(student, 'plugins:updated', (p) => p.plugins.some((x) => x.id === 'chat' && !x.enabled))
    await client.put('/admin/plugins/chat').json({ enabled: false }).loginAs(admin).withCsrfToken().accept('json')
    await disabled
    const off = await send(teacherSocket, 'chat:send', { body: 'anyone?' })
    assert.equal(!off.ok && off.error.code, 'plugin_disabled')
  })
})

test.group('Chat plugin: two app processes on Redis', (group) => {
  const processes = useAppProcessesOnRedis(group)
  group.each.teardown(() => sockets.closeAll())

  test('a message sent on process 1 reaches a client on process 2', async ({ assert }) => {
    const [one, two] = processes
    const { teacher, students, classSession } = await createSchool({ liveClass: true })
    const onTwo = await joined(teacher, classSession.id, two.url)
    const onOne = await joined(students[0], classSession.id, one.url)

    const participants = await sendOk(onTwo, 'session:join', { sessionId: classSession.id })
    assert.sameMembers(participants.participants.map((p) => p.userId), [teacher.id, students[0].id])

    const received = nextEvent(onTwo, 'chat:message')
    const { message } = await sendOk(onOne, 'chat:send', { body: 'across processes' })
    assert.deepEqual((await received).message, message)
  })

  test('killing an app process loses nothing: its users reconnect elsewhere and find history, hands and mutes', async ({ assert }) => {
    const doomed = await startAppProcess({ redisUrl: TEST_REDIS_URL })
    const survivor = processes[1]
    try {
      const { teacher, students, classSession } = await createSchool({ liveClass: true })
      const teacherSocket = await joined(teacher, classSession.id, survivor.url)
      const student = await joined(students[0], classSession.id, doomed.url)
      await joined(students[1], classSession.id, doomed.url)
      const sent = []
      for (let i = 0; i < 5; i++) sent.push((await sendOk(student, 'chat:send', { body: `before crash ${i}` })).message.id)
      await sendOk(student, 'presence:hand', { raised: true })
      await sendOk(teacherSocket, 'chat:mute', { userId: students[1].id, muted: true })

      const dropped = new Promise((resolve) => (student.connected ? student.once('disconnect', resolve) : resolve(null)))
      await doomed.kill('SIGKILL')
      assert.equal(doomed.child.signalCode, 'SIGKILL')
      await dropped
      assert.isFalse(student.connected)

      const back = await joined(students[0], classSession.id, survivor.url)
      const history = await sendOk(back, 'chat:history', {})
      assert.includeMembers(history.messages.map((m) => m.id), sent)
      assert.include(history.mutedUserIds, students[1].id)
      const snapshot = await sendOk(back, 'session:join', { sessionId: classSession.id })
      assert.isString(snapshot.participants.find((p) => p.userId === students[0].id)?.handRaisedAt)
    } finally {
      await doomed.kill('SIGKILL')
    }
  })
})
