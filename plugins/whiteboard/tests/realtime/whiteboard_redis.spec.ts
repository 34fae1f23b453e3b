import { test } from '@japa/runner'
import { eventually } from '#tests/helpers/poll'
import WhiteboardPage from '../../models/whiteboard_page.js'
import { Redis } from 'ioredis'
import { createSchool } from '#tests/helpers/fixtures'
import { nextEvent, sendOk, socketTracker, type TestSocket } from '#tests/helpers/sockets'
import { startAppProcess, testRedisPrefix, TEST_REDIS_URL, useAppProcessesOnRedis } from '#tests/helpers/app_process'
import { MemorySharedState, RedisSharedState, type SharedState } from '#app/realtime/shared_state'
import { SceneStore } from '../../scene_store.js'
import { element, stroke } from '../element.js'
import type { WbElement } from '../../events.js'
import '../../events.js'

const sockets = socketTracker()
const joined = sockets.joined
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** What a client holds: the newest (version, versionNonce) of every element id it has seen. */
class ClientScene {
  elements = new Map<string, WbElement>()
  apply(elements: WbElement[]) {
    for (const e of elements) {
      const held = this.elements.get(e.id)
      if (!held || e.version > held.version || (e.version === held.version && e.versionNonce < held.versionNonce)) {
        this.elements.set(e.id, e)
      }
    }
  }
  replace(elements: WbElement[]) {
    this.elements = new Map(elements.map((e) => [e.id, e]))
  }
  versions() {
    return [...this.elements.values()].map((e) => `${e.id}@${e.version}/${e.versionNonce}`).sort()
  }
}
const versionsOf = (elements: WbElement[]) => elements.map((e) => `${e.id}@${e.version}/${e.versionNonce}`).sort()

test.group('Whiteboard: Redis merge script', () => {
  test('the Lua merge in Redis decides exactly like the in-memory merge', async ({ assert }) => {
    const redis = new Redis(TEST_REDIS_URL)
    const prefix = `${testRedisPrefix()}merge-test:${Date.now()}:`
    const page = { sessionId: 1, room: 'main', pageId: 'p1' }
    const batches: WbElement[][] = [
      [element('a', 1, 10), element('b', 1, 20)],
      [element('a', 2, 700, { x: 1 }), element('b', 2, 100)],
      [element('a', 2, 300, { x: 2 }), element('b', 1, 1), element('c', 1, 2147483647)],
      [element('c', 1, 5), element('a', 2, 300, { x: 3 })],
      [element('b', 3, 9, { isDeleted: true }), element('b', 2, 1)],
    ]
    const run = async (state: SharedState) => {
      const store = new SceneStore(state)
      const decisions = []
      for (const batch of batches) {
        const { won, stale } = await store.merge(page, batch)
        decisions.push({ won: won.map((e) => `${e.id}@${e.version}/${e.versionNonce}`), stale: versionsOf(stale) })
      }
      return { decisions, scene: (await store.elements(page)).map((e) => JSON.stringify(e)).sort() }
    }
    try {
      const inRedis = await run(new RedisSharedState(redis, prefix))
      const inMemory = await run(new MemorySharedState())
      assert.deepEqual(inRedis, inMemory)
      assert.deepEqual(inRedis.decisions[2].won, ['a@2/300', 'c@1/2147483647'])
      assert.deepEqual(inRedis.decisions[3].won, ['c@1/5'])
    } finally {
      const keys = await redis.keys(`${prefix}*`)
      if (keys.length) await redis.del(...keys)
      redis.disconnect()
    }
  })
})

test.group('Whiteboard: two app processes on Redis', (group) => {
  const processes = useAppProcessesOnRedis(group)
  group.each.teardown(() => sockets.closeAll())

  test('an update sent to process 1 reaches a client on process 2; a late joiner on process 2 gets the scene', async ({ assert }) => {
    const [one, two] = processes
    const { teacher, students, classSession } = await createSchool({ liveClass: true })
    const teacherSocket = await joined(teacher, classSession.id, one.url)
    const student = await joined(students[0], classSession.id, two.url)
    const { pageId } = await sendOk(teacherSocket, 'whiteboard:open', {})
    assert.equal((await sendOk(student, 'whiteboard:open', {})).pageId, pageId, 'one board, whichever process opened it')

    const onTwo = nextEvent(student, 'whiteboard:elements')
    await sendOk(teacherSocket, 'whiteboard:update', { pageId, elements: [element('x1'), stroke('s1', [[0, 0], [4, 4]])] })
    assert.deepEqual((await onTwo).elements.map((e) => e.id).sort(), ['s1', 'x1'])

    const growth = nextEvent(student, 'whiteboard:strokes')
    await sendOk(teacherSocket, 'whiteboard:stroke', { pageId, elementId: 's2', points: [[3, 4]], start: stroke('s2', [[0, 0]]) })
    const batch = await growth
    assert.deepEqual(batch.starts?.map((s) => s.element.id), ['s2'])
    assert.deepEqual(batch.growth, [[batch.starts![0].handle, 3, 4]])

    const cursor = nextEvent(student, 'whiteboard:cursors')
    await sendOk(teacherSocket, 'whiteboard:cursor', { x: 5, y: 6, laser: true })
    assert.deepEqual((await cursor).cursors.map((c) => [c.userId, c.x, c.laser]), [[teacher.id, 5, true]])

    const late = await joined(students[1], classSession.id, two.url)
    assert.deepEqual(versionsOf((await sendOk(late, 'whiteboard:open', {})).elements), ['s1@1/7', 'x1@1/1000'])
  })

  test('the board survives the loss of the shared state: it is rebuilt from the database', async ({ assert }) => {
    const [one, two] = processes
    const { teacher, classSession } = await createSchool({ liveClass: true })
    const teacherSocket = await joined(teacher, classSession.id, one.url)
    const { pageId } = await sendOk(teacherSocket, 'whiteboard:open', {})
    const { page: second } = await sendOk(teacherSocket, 'whiteboard:page_add', { title: 'Second' })
    await sendOk(teacherSocket, 'whiteboard:update', { pageId, elements: [element('a', 3), element('b')] })
    await sendOk(teacherSocket, 'whiteboard:update', { pageId: second.id, elements: [element('c', 2)] })
    /* The debounced write (every 2 s) has reached the database. */
    await eventually('both pages are written to the database', async () => {
      const rows = await WhiteboardPage.query().where({ classSessionId: classSession.id, room: 'main' })
      const first = rows.find((r) => r.pageKey === pageId)
      const next = rows.find((r) => r.pageKey === second.id)
      return versionsOf(first?.elements ?? []).join() === 'a@3/1000,b@1/1000' && versionsOf(next?.elements ?? []).join() === 'c@2/1000'
    })

    const redis = new Redis(TEST_REDIS_URL)
    const keys = await redis.keys(`${testRedisPrefix()}plugin:whiteboard:*:${classSession.id}:*`)
    assert.isNotEmpty(keys)
    await redis.del(...keys)
    redis.disconnect()

    const reader = await joined(teacher, classSession.id, two.url)
    const reopened = await sendOk(reader, 'whiteboard:open', {})
    assert.deepEqual(reopened.board.pages.map((p) => p.title), ['Page 1', 'Second'])
    assert.deepEqual(versionsOf(reopened.elements), ['a@3/1000', 'b@1/1000'])
    assert.deepEqual(versionsOf((await sendOk(reader, 'whiteboard:page', { pageId: second.id })).elements), ['c@2/1000'])
  })
})

test.group('Whiteboard: an app process dies mid-drawing', (group) => {
  group.each.teardown(() => sockets.closeAll())

  test('its clients reconnect to the other process and every scene equals the server’s', async ({ assert }) => {
    const doomed = await startAppProcess({ redisUrl: TEST_REDIS_URL })
    const survivor = await startAppProcess({ redisUrl: TEST_REDIS_URL })
    try {
      const { teacher, students, classSession } = await createSchool({ liveClass: true })
      let teacherSocket: TestSocket = await joined(teacher, classSession.id, doomed.url)
      const watcherOnDoomed = await joined(students[0], classSession.id, doomed.url)
      const watcherOnSurvivor = await joined(students[1], classSession.id, survivor.url)

      const teacherScene = new ClientScene()
      const scenes = new Map<TestSocket, ClientScene>()
      const follow = (socket: TestSocket, opened: { elements: WbElement[] }) => {
        const scene = scenes.get(socket) ?? new ClientScene()
        scene.replace(opened.elements)
        socket.on('whiteboard:elements', (e: any) => scene.apply(e.elements))
        scenes.set(socket, scene)
        return scene
      }
      const { pageId } = await sendOk(teacherSocket, 'whiteboard:open', {})
      follow(watcherOnDoomed, await sendOk(watcherOnDoomed, 'whiteboard:open', {}))
      const survivorScene = follow(watcherOnSurvivor, await sendOk(watcherOnSurvivor, 'whiteboard:open', {}))

      // The teacher draws continuously: new strokes and edits of earlier ones. Unacknowledged
      // changes stay pending, as in the real client, and are resent after reconnecting.
      const pending = new Map<string, WbElement>()
      let drawing = true
      let sent = 0
      const draw = (async () => {
        while (drawing) {
          const id = `k${sent % 25}`
          const held = teacherScene.elements.get(id) ?? pending.get(id)
          const next = stroke(id, [[0, 0], [sent, sent]], (held?.version ?? 0) + 1, 1000 + (sent % 7))
          pending.set(id, next)
          teacherScene.apply([next])
          sent++
          teacherSocket
            .timeout(1500)
            .emitWithAck('whiteboard:update', { pageId, elements: [next] })
            .then((ack: any) => {
              if (!ack.ok) return
              if (pending.get(id) === next) pending.delete(id)
              teacherScene.apply(ack.data.stale)
            })
            .catch(() => {})
          await sleep(15)
        }
      })()

      await eventually('the teacher has drawn for a while', () => sent >= 20, { intervalMs: 20 })
      await doomed.kill('SIGKILL')
      const sentAtKill = sent
      await eventually('the teacher keeps drawing after the process died', () => sent >= sentAtKill + 10, { intervalMs: 20 })
      drawing = false
      await draw
      assert.isAbove(sent, 20)

      // The clients of the dead process reconnect (to the survivor) and re-open the board.
      teacherSocket = await joined(teacher, classSession.id, survivor.url)
      const reconnected = await joined(students[0], classSession.id, survivor.url)
      const resend = [...pending.values()]
      if (resend.length) {
        const ack = await sendOk(teacherSocket, 'whiteboard:update', { pageId, elements: resend })
        teacherScene.apply(ack.stale)
      }
      const reconnectedScene = follow(reconnected, await sendOk(reconnected, 'whiteboard:open', {}))
      const server = versionsOf((await sendOk(teacherSocket, 'whiteboard:open', {})).elements)
      assert.lengthOf(server, 25)
      /* The resend's broadcast reaches the watchers. */
      await eventually('both students hold the server’s board', () =>
        reconnectedScene.versions().join() === server.join() && survivorScene.versions().join() === server.join()
      ).catch(() => null)
      assert.deepEqual(teacherScene.versions(), server, 'the teacher lost nothing')
      assert.deepEqual(reconnectedScene.versions(), server, 'the reconnected student equals the server')
      assert.deepEqual(survivorScene.versions(), server, 'the student who stayed equals the server')
    } finally {
      await doomed.kill('SIGKILL')
      await survivor.kill()
    }
  })
})

