import { test } from '@japa/runner'
import { createSchool } from '#tests/helpers/fixtures'
import { connectAs, send, sendOk, socketTracker, watchAbsenceSchoolWide, type TestSocket } from '#tests/helpers/sockets'
import { useAppProcessesOnRedis } from '#tests/helpers/app_process'
import ChatMessage from '#plugins/chat/models/chat_message'
import '#plugins/chat/events'

const sockets = socketTracker()
const errorCode = (response: { ok: boolean; error?: { code: string } }) => (response.ok ? 'ok' : response.error!.code)

async function joinedAt(user: { email: string }, sessionId: number, url?: string) {
  const socket = sockets.track(await connectAs(user, url))
  await sendOk(socket, 'session:join', { sessionId })
  return socket
}

/**
 * After the class ended: the student's open socket can neither chat nor raise a hand, and nobody
 * receives anything (proved by a school-wide event the student's process sends afterwards).
 */
async function assertEndedClassRefuses(
  assert: any,
  student: TestSocket,
  others: TestSocket[],
  sessionId: number,
  admin: { email: string },
  studentUrl?: string
) {
  const quiet = watchAbsenceSchoolWide(others, 'chat:message')
  const chat = await send(student, 'chat:send', { body: 'still here?' })
  assert.equal(errorCode(chat), 'not_in_session', 'chat:send after class end')
  const hand = await send(student, 'presence:hand', { raised: true })
  assert.equal(errorCode(hand), 'not_in_session', 'presence:hand after class end')
  assert.isTrue(await quiet.settle(admin, studentUrl), 'a chat message reached another socket')
  assert.lengthOf(await ChatMessage.query().where('class_session_id', sessionId).where('body', 'still here?'), 0)
}

test.group('Security: an ended class', (group) => {
  group.each.teardown(() => sockets.closeAll())

  test('open sockets of an ended class are refused and deliver nothing', async ({ assert }) => {
    const { teacher, students, classSession, admin } = await createSchool({ liveClass: true })
    const teacherSocket = await joinedAt(teacher, classSession.id)
    const [amara, ben] = [await joinedAt(students[0], classSession.id), await joinedAt(students[1], classSession.id)]
    await sendOk(amara, 'chat:send', { body: 'before the end' })
    await sendOk(teacherSocket, 'session:end', {})
    await assertEndedClassRefuses(assert, amara, [ben, teacherSocket], classSession.id, admin)
  })
})

test.group('Security: an ended class, two app processes on Redis', (group) => {
  const processes = useAppProcessesOnRedis(group, 2)
  group.each.teardown(() => sockets.closeAll())

  test('ending the class on one process takes the sockets on the other out of it', async ({ assert }) => {
    const [a, b] = processes
    const { teacher, students, classSession, admin } = await createSchool({ liveClass: true })
    const teacherSocket = await joinedAt(teacher, classSession.id, b.url)
    const amara = await joinedAt(students[0], classSession.id, a.url)
    const ben = await joinedAt(students[1], classSession.id, a.url)
    const cleo = await joinedAt(students[2], classSession.id, b.url)
    await sendOk(teacherSocket, 'session:end', {})
    await assertEndedClassRefuses(assert, amara, [ben, cleo, teacherSocket], classSession.id, admin, a.url)
  })
})
