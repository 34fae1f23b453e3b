import { test } from '@japa/runner'
import { eventually } from '#tests/helpers/poll'
import { versionWins } from '#app/realtime/shared_state'
import {
  appendPoints,
  BoardSync,
  expandStrokeBatch,
  batchBySize,
  changedElements,
  fitViewport,
  mergeElements,
  remoteWins,
  viewportCenter,
} from '../../ui/board_sync.js'
import { element, stroke } from '../element.js'

test.group('Whiteboard client sync rules', () => {
  test('the client decides like the server: higher version wins, on a tie the lower nonce', ({ assert }) => {
    const pairs = [
      [1, 10, 2, 10],
      [2, 10, 1, 10],
      [3, 500, 3, 100],
      [3, 100, 3, 500],
      [3, 100, 3, 100],
    ]
    for (const [lv, ln, rv, rn] of pairs) {
      assert.equal(
        remoteWins({ version: lv, versionNonce: ln }, { version: rv, versionNonce: rn }),
        versionWins({ version: rv, nonce: rn }, { version: lv, nonce: ln }),
        `${lv}/${ln} vs ${rv}/${rn}`
      )
    }
    assert.isTrue(remoteWins(undefined, { version: 1, versionNonce: 1 }))
  })

  test('remote elements merge in, except over a newer local copy or one being edited', ({ assert }) => {
    const local = [element('a', 2), element('b', 5), element('c', 1)]
    const remote = [element('a', 3, 1, { x: 7 }), element('b', 4), element('c', 2, 1, { x: 9 }), element('d', 1)]
    const merged = mergeElements(local, remote, new Set(['c']))
    assert.deepEqual(
      merged.map((e) => [e.id, e.version]),
      [
        ['a', 3],
        ['b', 5],
        ['c', 1],
        ['d', 1],
      ]
    )
  })

  test('only elements whose version pair changed are sent', ({ assert }) => {
    const known = new Map([
      ['a', { version: 1, versionNonce: 1000 }],
      ['b', { version: 1, versionNonce: 1000 }],
    ])
    const changed = changedElements([element('a'), element('b', 2), element('c')], known, new Set(['c']))
    assert.deepEqual(changed.map((e) => e.id), ['b'])
  })

  test('updates are split under the size and count limits', ({ assert }) => {
    const items = Array.from({ length: 10 }, (_, i) => element(`e${i}`, 1, 1, { text: 'x'.repeat(400) }))
    const bySize = batchBySize(items, 1500)
    assert.isAbove(bySize.length, 1)
    assert.isTrue(bySize.every((batch) => JSON.stringify(batch).length <= 1500))
    assert.deepEqual(bySize.flat().map((e) => e.id), items.map((e) => e.id))
    assert.deepEqual(batchBySize(items, 1_000_000, 4).map((b) => b.length), [4, 4, 2])
  })

  test('stroke growth appends points and keeps the size right', ({ assert }) => {
    const grown = appendPoints(stroke('s', [[0, 0]]), [
      [10, 5],
      [-4, 20],
    ])
    assert.deepEqual(grown.points, [
      [0, 0],
      [10, 5],
      [-4, 20],
    ])
    assert.include(grown, { width: 14, height: 20 })
    const withPen = appendPoints({ ...stroke('p', [[0, 0]]), simulatePressure: false, pressures: [0.7] }, [[1, 1]])
    assert.deepEqual(withPen.pressures, [0.7, 0.5])
  })

  test('follow mode fits the teacher’s visible area into any canvas, centred', ({ assert }) => {
    const teacher = { scrollX: -300, scrollY: 120, zoom: 1.5, width: 1200, height: 600 }
    for (const [width, height] of [
      [1200, 600],
      [600, 600],
      [1900, 700],
    ]) {
      const fitted = fitViewport(teacher, width, height)
      const studentCenter = viewportCenter({ ...fitted, width, height })
      const teacherCenter = viewportCenter(teacher)
      assert.closeTo(studentCenter.x, teacherCenter.x, 1e-6)
      assert.closeTo(studentCenter.y, teacherCenter.y, 1e-6)
      // The teacher's whole visible area fits.
      assert.isAtMost((teacher.width / teacher.zoom) * fitted.zoom, width + 1e-6)
      assert.isAtMost((teacher.height / teacher.zoom) * fitted.zoom, height + 1e-6)
    }
  })

  test('a stroke batch expands into growth messages; growth of strokes started before we came is skipped', ({ assert }) => {
    const handles = new Map()
    const start = { handle: 4, by: 9, element: { id: 'a', type: 'freedraw', version: 1, versionNonce: 1, isDeleted: false, x: 0, y: 0, points: [[0, 0]] } }
    const [first, ...rest] = expandStrokeBatch({ pageId: 'p', starts: [start], growth: [[4, 1, 2, 3, 4], [5, 9, 9]] }, handles)
    assert.isEmpty(rest, 'handle 5 started before this client arrived')
    assert.deepEqual(first.points, [[1, 2], [3, 4]])
    assert.include(first, { elementId: 'a', userId: 9, pageId: 'p' })
    assert.include(first.start!, { seed: 1, fillStyle: 'solid', id: 'a' }, 'Excalidraw defaults filled in')
    const [later] = expandStrokeBatch({ pageId: 'p', growth: [[4, 5, 6]] }, handles)
    assert.deepEqual([later.elementId, later.points, later.start], ['a', [[5, 6]], undefined])
  })

  test('a finished stroke sent without points is rebuilt from the drawn growth, or reported missing', ({ assert }) => {
    let scene: any[] = []
    const sync = new BoardSync({ transport: { update: async () => ({ applied: 0, stale: [] }), stroke: async () => null } })
    sync.attach({
      getSceneElementsIncludingDeleted: () => scene,
      getAppState: () => ({ scrollX: 0, scrollY: 0, zoom: { value: 1 }, width: 100, height: 100 }),
      updateScene: ({ elements }) => void (elements && (scene = [...elements])),
    })
    sync.load('p', [])
    const messages = expandStrokeBatch(
      { pageId: 'p', starts: [{ handle: 1, by: 2, element: stroke('a', [[0, 0]]) }], growth: [[1, 1, 1, 2, 2]] },
      sync.strokeHandles
    )
    sync.applyStrokes(messages)
    assert.lengthOf(scene[0].points, 3, 'the ghost is drawn')

    const missing = sync.applyRemote('p', [{ ...stroke('a', [], 2) }, { ...stroke('b', [], 2) }], { a: 3, b: 5 })
    assert.deepEqual(missing, ['b'])
    const a = scene.find((e) => e.id === 'a')
    assert.equal(a.version, 2)
    assert.deepEqual(a.points, [[0, 0], [1, 1], [2, 2]])
    assert.isUndefined(scene.find((e) => e.id === 'b'))
    sync.detach()
  })

  test('idle resolves once nothing is in flight, also when a scheduled flush finds nothing to send', async ({ assert }) => {
    let scene: any[] = []
    let answer: (() => void) | null = null
    const sync = new BoardSync({
      updateIntervalMs: 30,
      transport: {
        update: () => new Promise((resolve) => (answer = () => resolve({ applied: 1, stale: [] }))),
        stroke: async () => null,
      },
    })
    sync.attach({
      getSceneElementsIncludingDeleted: () => scene,
      getAppState: () => ({ scrollX: 0, scrollY: 0, zoom: { value: 1 }, width: 100, height: 100 }),
      updateScene: ({ elements }) => void (elements && (scene = [...elements])),
    })
    sync.load('p', [])
    scene = [element('a')]
    sync.flushNow()
    let idle = false
    const waiting = sync.idle().then(() => (idle = true))
    // A change notification arrives while the update is in flight: a flush is scheduled, with nothing new to send.
    sync.handleChange({ scrollX: 0, scrollY: 0, zoom: { value: 1 }, width: 100, height: 100 })
    answer!()
    await eventually('idle resolved after the scheduled flush found nothing to send', () => idle, { timeoutMs: 3000, intervalMs: 10 })
    assert.isTrue(idle)
    await waiting
    sync.detach()
  })
})
