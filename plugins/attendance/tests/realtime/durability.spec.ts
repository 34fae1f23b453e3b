import { test } from '@japa/runner'
import { createSchool } from '#tests/helpers/fixtures'
import { sendOk, socketTracker } from '#tests/helpers/sockets'
import { startAppProcess, TEST_REDIS_URL } from '#tests/helpers/app_process'
import { marksOf, recordsOf } from './helpers.js'
import '../../events.js'

const sockets = socketTracker()

test.group('Attendance: a web process killed mid-class', (group) => {
  group.each.teardown(() => sockets.closeAll())

  test('loses nothing: what it observed before the kill counts when another process ends the class', async ({ assert }) => {
    const [doomed, survivor] = await Promise.all([startAppProcess({ redisUrl: TEST_REDIS_URL }), startAppProcess({ redisUrl: TEST_REDIS_URL })])
    try {
      const { teacher, students, classSession } = await createSchool({ students: 2, liveClass: true })
      const teacherSocket = await sockets.joined(teacher, classSession.id, survivor.url)
      const student = await sockets.joined(students[0], classSession.id, doomed.url)
      await sendOk(student, 'attendance:visibility', { hidden: true })
      const before = await marksOf(classSession.id, students[0].id)
      assert.deepEqual(before.map((m) => m.kind), ['join', 'hidden'])

      const dropped = new Promise((resolve) => (student.connected ? student.once('disconnect', resolve) : resolve(null)))
      await doomed.kill('SIGKILL')
      await dropped

      const back = await sockets.joined(students[0], classSession.id, survivor.url)
      await sendOk(back, 'attendance:visibility', { hidden: false })
      await sendOk(teacherSocket, 'session:end', {})

      const records = await recordsOf(classSession.id)
      const row = records.get(students[0].id)
      assert.equal(Number(row.first_join_ms), Number(before[0].at_ms), 'the first join, seen by the killed process, counts')
      assert.isAbove(Number(row.present_ms), 0)
      assert.isBelow(Number(row.active_ms), Number(row.present_ms), 'the hidden time reported to the killed process counts')
      assert.equal(records.get(students[1].id).status, 'absent')
    } finally {
      await Promise.all([doomed.kill('SIGKILL'), survivor.kill()])
    }
  }).timeout(90_000)
})
