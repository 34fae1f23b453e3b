import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import { moveToRoom, returnAllToMain } from '#app/classes/class_rooms'
import { createSchool } from '#tests/helpers/fixtures'
import { connectAs, nextEvent, sendOk, type TestSocket, watchAbsence } from '#tests/helpers/sockets'
import '#plugins/chat/events'

const open: TestSocket[] = []

async function joined(user: { email: string }, sessionId: number) {
  const socket = await connectAs(user)
  open.push(socket)
  await sendOk(socket, 'session:join', { sessionId })
  return socket
}

test.group('Rooms inside a class', (group) => {
  group.each.teardown(() => open.splice(0).forEach((s) => s.disconnect()))

  test('a moved user gets room_changed, room traffic stays in the room, reconnects land in the room', async ({ assert }) => {
    const realtime = await app.container.make('realtime')
    const { teacher, students, classSession } = await createSchool({ liveClass: true })
    const teacherSocket = await joined(teacher, classSession.id)
    const mover = await joined(students[0], classSession.id)
    const roommate = await joined(students[1], classSession.id)

    const changed = nextEvent(mover, 'session:room_changed')
    await moveToRoom(realtime, classSession.id, students[0].id, 'room-1')
    await moveToRoom(realtime, classSession.id, students[1].id, 'room-1')
    assert.deepEqual(await changed, { room: 'room-1' })

    const mainQuiet = watchAbsence(teacherSocket, 'chat:message')
    const inRoom = nextEvent(roommate, 'chat:message')
    await sendOk(mover, 'chat:send', { body: 'room one only' })
    assert.equal((await inRoom).message.room, 'room-1')
    assert.isTrue(await mainQuiet.settle(mover))

    mover.disconnect()
    const again = await joined(students[0], classSession.id)
    const snapshot = await sendOk(again, 'session:join', { sessionId: classSession.id })
    assert.equal(snapshot.you.room, 'room-1')
    assert.equal(snapshot.participants.find((p) => p.userId === students[0].id)?.room, 'room-1')

    const back = nextEvent(roommate, 'session:room_changed')
    await returnAllToMain(realtime, classSession.id)
    assert.deepEqual(await back, { room: 'main' })
    const reached = nextEvent(teacherSocket, 'chat:message')
    await sendOk(roommate, 'chat:send', { body: 'back in main' })
    assert.equal((await reached).message.room, 'main')
  })
})
