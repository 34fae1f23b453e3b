/*
| The video plugin's teacher controls that need no media: the stage mode reaches the class's room
| (and only it), and forcing a camera off tells the targeted student (and nobody else). Pausing a
| real producer needs a sidecar: see plugins/video/tests/browser.
*/
import { test } from '@japa/runner'
import { createSchool } from '#tests/helpers/fixtures'
import { nextEvent, sendOk, socketTracker } from '#tests/helpers/sockets'
import '../../events.js'

const sockets = socketTracker()

/** Records the server events a socket gets; a later marker event proves what did not arrive. */
function recorder(socket: Awaited<ReturnType<typeof sockets.joined>>) {
  const seen: string[] = []
  socket.onAny((event) => seen.push(event))
  return seen
}

test.group('Video: teacher controls without media', (group) => {
  group.each.teardown(() => sockets.closeAll())

  test('the stage mode reaches everyone in the class and no other class', async ({ assert }) => {
    const a = await createSchool({ liveClass: true })
    const b = await createSchool({ liveClass: true })
    const teacher = await sockets.joined(a.teacher, a.classSession.id)
    const student = await sockets.joined(a.students[0], a.classSession.id)
    const elsewhere = await sockets.joined(b.students[0], b.classSession.id)
    const elsewhereSeen = recorder(elsewhere)

    const staged = nextEvent(student, 'video:stage')
    await sendOk(teacher, 'video:stage', { mode: 'whiteboard' })
    assert.deepEqual(await staged, { mode: 'whiteboard' })

    const marker = nextEvent(elsewhere, 'presence:reaction')
    await sendOk(elsewhere, 'presence:react', { emoji: '👍' })
    await marker
    assert.deepEqual(elsewhereSeen.filter((e) => e.startsWith('video:')), [])
  })

  test('forcing a camera off tells that student, with who did it, and nobody else', async ({ assert }) => {
    const { teacher, students, classSession } = await createSchool({ liveClass: true })
    const teacherSocket = await sockets.joined(teacher, classSession.id)
    const target = await sockets.joined(students[0], classSession.id)
    const other = await sockets.joined(students[1], classSession.id)
    const otherSeen = recorder(other)

    const told = nextEvent(target, 'video:forced_off')
    const result = await sendOk(teacherSocket, 'video:force_off', { userId: students[0].id, source: 'camera' })
    assert.deepEqual(result, { paused: 0 }, 'no camera producer was running')
    assert.deepEqual(await told, { source: 'camera', by: teacher.fullName })

    const marker = nextEvent(other, 'presence:reaction')
    await sendOk(target, 'presence:react', { emoji: '👍' })
    await marker
    assert.notInclude(otherSeen, 'video:forced_off')
  })
})
