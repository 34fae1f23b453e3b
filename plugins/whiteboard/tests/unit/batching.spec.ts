import { test } from '@japa/runner'
import { coalesceStrokes } from '../../stroke_batcher.js'
import { latestPerUser } from '../../cursor_batcher.js'
import { RoomBatcher } from '../../room_batcher.js'
import { stroke } from '../element.js'

test.group('Whiteboard batching', () => {
  test('appends of one stroke in a window travel as one entry, in order, with the start kept', ({ assert }) => {
    const start = stroke('a', [[0, 0]])
    const out = coalesceStrokes([
      { pageId: 'p', elementId: 'a', userId: 1, points: [[0, 0]], start },
      { pageId: 'p', elementId: 'b', userId: 2, points: [[9, 9]] },
      { pageId: 'p', elementId: 'a', userId: 1, points: [[1, 1], [2, 2]] },
    ])
    assert.deepEqual(
      out.map((s) => [s.elementId, s.points, s.start?.id]),
      [
        ['a', [[0, 0], [1, 1], [2, 2]], 'a'],
        ['b', [[9, 9]], undefined],
      ]
    )
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
