import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { createSchool } from '#tests/helpers/fixtures'
import { sendOk, socketTracker } from '#tests/helpers/sockets'
import { startAppProcess, TEST_REDIS_URL, type AppProcess } from '#tests/helpers/app_process'
import { eventually } from '#tests/helpers/poll'
import '../../events.js'

const sockets = socketTracker()
// Neither process writes on its own timer during the test: only what reached shared state can survive the kill.
const env = { ENGAGEMENT_WRITE_EVERY_MS: '600000' }

test.group('Engagement: an app process killed mid-class', (group) => {
  group.each.teardown(() => sockets.closeAll())

  test('the signals it recorded survive and count in the class scores stored at the end', async ({ assert }) => {
    const processes: AppProcess[] = []
    try {
      processes.push(...(await Promise.all([startAppProcess({ redisUrl: TEST_REDIS_URL, env }), startAppProcess({ redisUrl: TEST_REDIS_URL, env })])))
      const [doomed, survivor] = processes
      const { teacher, students, classSession } = await createSchool({ liveClass: true })
      const teacherSocket = await sockets.joined(teacher, classSession.id, survivor.url)
      const student = await sockets.joined(students[0], classSession.id, doomed.url)
      for (const body of ['one', 'two', 'three']) await sendOk(student, 'chat:send', { body })

      // The teacher's live view (served by the other process) already shows the messages.
      const watched = await sendOk(teacherSocket, 'engagement:watch', {})
      const chatOf = (rows: typeof watched.rows) => rows.find((r) => r[0] === students[0].id)![3 + 2]
      assert.equal(chatOf(watched.rows), 3 / 5)

      await doomed.kill('SIGKILL')
      assert.equal(doomed.child.signalCode, 'SIGKILL')

      await sendOk(teacherSocket, 'session:end', {})
      const row = await eventually('the class scores are stored', () =>
        db.from('engagement_scores').where({ class_session_id: classSession.id, user_id: students[0].id }).first()
      )
      const chat = JSON.parse(row.parts).find((p: any) => p.signal === 'chat')
      assert.deepEqual(chat.detail, { messages: 3, cap: 5 }, 'all three messages received by the killed process count')
      const raw = await db.from('engagement_contributions').where({ class_session_id: classSession.id, user_id: students[0].id })
      assert.isAtLeast(raw.length, 1, 'the raw aggregates are in the database')
    } finally {
      await Promise.all(processes.map((p) => p.kill('SIGKILL')))
    }
  })
})
