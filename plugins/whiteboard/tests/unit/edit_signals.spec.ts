import { test } from '@japa/runner'
import logger from '@adonisjs/core/services/logger'
import type { PluginHost } from '#app/plugins/api'
import { EditSignals } from '../../edit_signals.js'

test.group('Whiteboard edit signals', () => {
  test('a window’s updates go out as one signal per student, counting distinct elements', async ({ assert }) => {
    const emitted: any[] = []
    const events = { on: () => {}, emit: async (_event: string, payload: unknown) => void emitted.push(payload) }
    const signals = new EditSignals(events as unknown as PluginHost['events'], logger, 60_000)
    const classA = { sessionId: 1, schoolId: 2, courseId: 3 }
    signals.record(classA, 10, ['r1'])
    signals.record(classA, 10, ['r1']) // the same rectangle dragged on
    signals.record(classA, 10, ['s1', 's2'])
    signals.record(classA, 11, ['s3'])
    signals.record({ ...classA, sessionId: 9 }, 10, ['x'])
    await signals.flush()

    assert.sameDeepMembers(
      emitted.map(({ sessionId, userId, count, kind, courseId }) => ({ sessionId, userId, count, kind, courseId })),
      [
        { sessionId: 1, userId: 10, count: 3, kind: 'whiteboard_edit', courseId: 3 },
        { sessionId: 1, userId: 11, count: 1, kind: 'whiteboard_edit', courseId: 3 },
        { sessionId: 9, userId: 10, count: 1, kind: 'whiteboard_edit', courseId: 3 },
      ]
    )
    await signals.flush()
    assert.lengthOf(emitted, 3, 'nothing is sent twice')
  })
})
