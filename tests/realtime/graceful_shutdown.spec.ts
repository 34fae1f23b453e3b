import { test } from '@japa/runner'
import { createSchool } from '#tests/helpers/fixtures'
import { nextEvent, sendOk, socketTracker } from '#tests/helpers/sockets'
import { startAppProcess, TEST_REDIS_URL } from '#tests/helpers/app_process'

const sockets = socketTracker()

test.group('Realtime: an app process stopped with SIGTERM', (group) => {
  group.each.teardown(() => sockets.closeAll())

  test('exits promptly, drops only its own clients, and the class goes on on the other process', async ({ assert }) => {
    // Started side by side: two sequential cold starts on a busy CI machine used up most of the minute.
    const [stopping, staying] = await Promise.all([startAppProcess({ redisUrl: TEST_REDIS_URL }), startAppProcess({ redisUrl: TEST_REDIS_URL })])
    try {
      const { teacher, students, classSession } = await createSchool({ liveClass: true })
      const onStopping = await sockets.joined(students[0], classSession.id, stopping.url)
      const onStaying = await sockets.joined(teacher, classSession.id, staying.url)
      let stayingDropped = false
      onStaying.on('disconnect', () => (stayingDropped = true))
      const dropped = new Promise<string>((resolve) => onStopping.once('disconnect', resolve))

      const exited = new Promise<number | null | 'still running'>((resolve) => {
        stopping.child.once('exit', (code) => resolve(code))
        setTimeout(() => resolve('still running'), 30_000).unref()
      })
      stopping.child.kill('SIGTERM')
      // A WebSocket kept open would hold the HTTP server's close forever.
      assert.equal(await exited, 0, `exit after SIGTERM; process output:\n${stopping.output()}`)
      assert.equal(await dropped, 'io server disconnect', 'the stopping process disconnected its own client')

      // The other process's client stays and still hears the class (another student's reaction).
      const other = await sockets.joined(students[1], classSession.id, staying.url)
      const reaction = nextEvent(onStaying, 'presence:reaction')
      await sendOk(other, 'presence:react', { emoji: '👍' })
      assert.equal((await reaction).userId, students[1].id)
      assert.isFalse(stayingDropped, 'clients of the other process are not disconnected')
    } finally {
      await Promise.all([stopping.kill('SIGKILL'), staying.kill()])
    }
  }).timeout(120_000)
})
