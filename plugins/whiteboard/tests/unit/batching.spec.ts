import { test } from '@japa/runner'
import { batchByPage } from '../../stroke_batcher.js'
import { drawnFields, StrokeTracker } from '../../stroke_tracker.js'
import { latestPerUser } from '../../cursor_batcher.js'
import { RoomBatcher } from '../../room_batcher.js'
import { stroke } from '../element.js'

test.group('Whiteboard batching', () => {
  test('a window’s strokes travel as one message per page, each stroke’s growth as one tuple', ({ assert }) => {
    const start = { handle: 7, by: 1, element: stroke('a', [[0, 0]]) }
    const out = batchByPage([
      { pageId: 'p', start, growth: [7, 0, 0] },
      { pageId: 'p', growth: [8, 9, 9] },
      { pageId: 'q', growth: [9, 5, 5] },
      { pageId: 'p', growth: [7, 1, 1, 2, 2] },
    ])
    assert.deepEqual(out, [
      { pageId: 'p', starts: [start], growth: [[7, 0, 0, 1, 1, 2, 2], [8, 9, 9]] },
      { pageId: 'q', growth: [[9, 5, 5]] },
    ])
  })

  test('a finished stroke is forwarded without points only when they are exactly the relayed ones', ({ assert }) => {
    const tracker = new StrokeTracker()
    const page = { sessionId: 1, room: 'main', pageId: 'p' }
    tracker.start(page, 'a', 1, [[0, 0]])
    assert.equal(tracker.grow(page, 'a', [[1, 1], [2, 2]]), 1)
    assert.isNull(tracker.grow(page, 'unknown', [[1, 1]]), 'growth of a stroke this process did not see start')
    assert.equal(tracker.finish(page, stroke('a', [[0, 0], [1, 1], [2, 2]])), 3)
    assert.isNull(tracker.finish(page, stroke('a', [[0, 0], [1, 1], [2, 2]])), 'finished once')

    tracker.start(page, 'b', 2, [[0, 0]])
    tracker.grow(page, 'b', [[1, 1]])
    assert.isNull(tracker.finish(page, stroke('b', [[0, 0], [1, 1.5]])), 'a changed point')
    tracker.start(page, 'c', 3, [[0, 0]])
    assert.isNull(tracker.finish(page, stroke('c', [[0, 0], [4, 4]])), 'a point the receivers never got')
  })

  test('strokes in progress carry only what draws them', ({ assert }) => {
    const slim = drawnFields({ ...stroke('a', [[0, 0]]), seed: 99, boundElements: null, link: null, customData: { x: 1 } })
    assert.notProperty(slim, 'seed')
    assert.notProperty(slim, 'customData')
    assert.include(slim, { id: 'a', type: 'freedraw', version: 1, strokeColor: '#1e1e1e' })
    assert.deepEqual(slim.points, [[0, 0]])
  })

  test('only the latest cursor of each user is sent', ({ assert }) => {
    const cursor = (userId: number, x: number) => ({ userId, name: `u${userId}`, role: 'student' as const, x, y: 0, laser: false })
    assert.deepEqual(
      latestPerUser([cursor(1, 1), cursor(2, 5), cursor(1, 3)]).map((c) => [c.userId, c.x]),
      [
        [1, 3],
        [2, 5],
      ]
    )
  })

  test('a room batcher hands each room its items once per window', async ({ assert }) => {
    const flushed: [number, string, number[]][] = []
    const batcher = new RoomBatcher<number>(10_000, (sessionId, room, items) => void flushed.push([sessionId, room, items]))
    batcher.add(1, 'main', 1)
    batcher.add(1, 'b1', 2)
    batcher.add(1, 'main', 3)
    await batcher.flush()
    await batcher.flush()
    batcher.stop()
    assert.deepEqual(flushed, [
      [1, 'main', [1, 3]],
      [1, 'b1', [2]],
    ])
  })
})
