import { Redis } from 'ioredis'
import { test } from '@japa/runner'
import ClassPresenceEvent from '#app/classes/models/class_presence_event'
import { RedisSharedState } from '#app/realtime/shared_state'
import { createSchool } from '#tests/helpers/fixtures'
import { socketTracker } from '#tests/helpers/sockets'
import { eventually } from '#tests/helpers/poll'
import { startAppProcess, TEST_REDIS_URL, testRedisPrefix } from '#tests/helpers/app_process'

const sockets = socketTracker()

const leavesOf = async (sessionId: number, userId: number) =>
  ClassPresenceEvent.query().where({ classSessionId: sessionId, userId, type: 'left' }).orderBy('id')

/*
| A web process killed with SIGKILL runs no disconnect handler. Its class members must not stay
| present for the rest of the class: another process notices the heartbeat stopped and records them
| as left at that process's last heartbeat, unless they are back by then (here: a second tab).
*/
test.group('Presence: the members of a web process that died', (group) => {
  group.each.teardown(() => sockets.closeAll())

  test('are recorded as left and leave the others\' lists, unless connected elsewhere', async ({ assert }) => {
    const [survivor, doomed] = await Promise.all([startAppProcess({ redisUrl: TEST_REDIS_URL }), startAppProcess({ redisUrl: TEST_REDIS_URL })])
    const redis = new Redis(TEST_REDIS_URL)
    const state = new RedisSharedState(redis, testRedisPrefix())
    const heartbeatOf = async (pid: number) =>
      Object.entries(await state.hgetall('liveness:processes')).find(([id]) => id.split(':').at(-2) === String(pid))
    try {
      const { teacher, students, classSession } = await createSchool({ students: 2, liveClass: true })
      const [gone, twoTabs] = students
      const teacherSocket = await sockets.joined(teacher, classSession.id, survivor.url)
      const left: number[] = []
      teacherSocket.on('presence:left', ({ userId }: { userId: number }) => left.push(userId))

      await sockets.joined(gone, classSession.id, doomed.url)
      await sockets.joined(twoTabs, classSession.id, doomed.url)
      await sockets.joined(twoTabs, classSession.id, survivor.url)
      await eventually('the doomed process wrote a heartbeat', async () => Boolean(await heartbeatOf(doomed.pid)))

      await doomed.kill('SIGKILL')
      const killedAt = Date.now()
      const lastBeat = Number((await heartbeatOf(doomed.pid))![1])

      // The survivor's sweep: within 15 s of the last heartbeat plus one sweep (5 s), with room for a slow machine.
      await eventually('the survivor recorded the killed process\'s student as left', async () => (await leavesOf(classSession.id, gone.id)).length === 1, {
        timeoutMs: 40_000,
      })
      await eventually('the sweep finished (the dead process is forgotten)', async () => !(await heartbeatOf(doomed.pid)), { timeoutMs: 10_000 })

      const [leave] = await leavesOf(classSession.id, gone.id)
      // (SQLite keeps whole seconds.)
      assert.closeTo(leave.occurredAt.toMillis(), lastBeat, 1000, 'left at the dead process\'s last heartbeat, not when it was noticed')
      assert.isAtMost(leave.occurredAt.toMillis(), killedAt)
      assert.deepEqual(left, [gone.id], 'the teacher heard that one student left, and only that one')
      assert.lengthOf(await leavesOf(classSession.id, twoTabs.id), 0, 'a student still connected on another process did not leave')
      assert.lengthOf(await leavesOf(classSession.id, teacher.id), 0)
    } finally {
      redis.disconnect()
      await Promise.all([doomed.kill('SIGKILL'), survivor.kill()])
    }
  }).timeout(90_000)
})
