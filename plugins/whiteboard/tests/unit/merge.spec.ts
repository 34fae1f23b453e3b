import { test } from '@japa/runner'
import { MemorySharedState } from '#app/realtime/shared_state'
import { SceneStore } from '../../scene_store.js'
import { element } from '../element.js'
import type { WbElement } from '../../events.js'

const page = { sessionId: 1, room: 'main', pageId: 'p1' }
const versions = (elements: WbElement[]) =>
  Object.fromEntries(elements.map((e) => [e.id, [e.version, e.versionNonce, e.isDeleted]]).sort())

test.group('Whiteboard merge rule', () => {
  test('a higher version wins and is forwarded; a lower one loses and the server copy comes back as stale', async ({ assert }) => {
    const store = new SceneStore(new MemorySharedState())
    assert.deepEqual((await store.merge(page, [element('a', 1)])).won.map((e) => e.id), ['a'])

    const newer = await store.merge(page, [element('a', 3, 5, { x: 99 })])
    assert.deepEqual(newer.won.map((e) => e.x), [99])
    assert.isEmpty(newer.stale)

    const older = await store.merge(page, [element('a', 2, 1, { x: -1 })])
    assert.isEmpty(older.won)
    assert.deepEqual(older.stale.map((e) => [e.id, e.version, e.x]), [['a', 3, 99]])
    assert.deepEqual(versions(await store.elements(page)), { a: [3, 5, false] })
  })

  test('on a version tie the lower versionNonce wins; resending the same element changes nothing', async ({ assert }) => {
    const store = new SceneStore(new MemorySharedState())
    await store.merge(page, [element('a', 4, 500, { x: 1 })])
    assert.isEmpty((await store.merge(page, [element('a', 4, 900, { x: 2 })])).won)
    assert.deepEqual((await store.merge(page, [element('a', 4, 100, { x: 3 })])).won.map((e) => e.x), [3])
    const again = await store.merge(page, [element('a', 4, 100, { x: 3 })])
    assert.isEmpty(again.won)
    assert.isEmpty(again.stale, 'an identical copy is not stale')
    assert.deepEqual(again.resent.map((e) => [e.id, e.version, e.versionNonce]), [['a', 4, 100]], 'it is a resend, relayed again')
    assert.equal((await store.elements(page))[0].x, 3)
  })

  test('concurrent edits converge whatever order the server receives them in', async ({ assert }) => {
    // Two clients edit the same elements from the same base, each bumping versions with their own nonces.
    const base = [element('a', 1, 10), element('b', 1, 20), element('c', 1, 30)]
    const fromAlice = [element('a', 2, 700, { x: 1 }), element('b', 2, 100, { x: 1 }), element('d', 1, 5, { x: 1 })]
    const fromBob = [element('a', 2, 300, { x: 2 }), element('b', 3, 900, { x: 2 }), element('c', 2, 1, { isDeleted: true })]

    const orders = [
      [base, fromAlice, fromBob],
      [base, fromBob, fromAlice],
      [base, ...fromAlice.map((e) => [e]), ...fromBob.map((e) => [e])].reverse(),
    ]
    const results = []
    for (const order of orders) {
      const store = new SceneStore(new MemorySharedState())
      for (const batch of order) await store.merge(page, batch)
      results.push(
        Object.fromEntries((await store.elements(page)).map((e) => [e.id, `${e.version}/${e.versionNonce}/${e.x}/${e.isDeleted}`]).sort())
      )
    }
    assert.deepEqual(results[0], results[1])
    assert.deepEqual(results[0], results[2])
    assert.deepEqual(results[0], { a: '2/300/2/false', b: '3/900/2/false', c: '2/1/10/true', d: '1/5/1/false' })
  })

  test('deleted elements stay as tombstones, so a late stale copy cannot bring them back', async ({ assert }) => {
    const store = new SceneStore(new MemorySharedState())
    await store.merge(page, [element('a', 1, 10)])
    await store.merge(page, [element('a', 2, 10, { isDeleted: true })])
    const resurrect = await store.merge(page, [element('a', 1, 10)])
    assert.isEmpty(resurrect.won)
    assert.isTrue(resurrect.stale[0].isDeleted)
    const [stored] = await store.elements(page)
    assert.equal(stored.id, 'a')
    assert.isTrue(stored.isDeleted)
    // Undo of a delete is a newer version, which wins.
    assert.lengthOf((await store.merge(page, [element('a', 3, 10, { isDeleted: false })])).won, 1)
  })

  test('pages and rooms are separate scenes', async ({ assert }) => {
    const store = new SceneStore(new MemorySharedState())
    await store.merge(page, [element('a', 5)])
    await store.merge({ ...page, room: 'b1' }, [element('a', 1)])
    assert.equal((await store.elements({ ...page, room: 'b1' }))[0].version, 1)
    assert.equal((await store.elements(page))[0].version, 5)
    assert.lengthOf(await store.elements({ ...page, pageId: 'p2' }), 0)
  })
})

test.group('Whiteboard scene as stored JSON', () => {
  test('elementsJson is the page as one JSON array, tombstones included, with the live count, without parsing', async ({ assert }) => {
    const store = new SceneStore(new MemorySharedState())
    await store.merge(page, [
      element('a'),
      element('gone', 2, 1, { isDeleted: true }),
      // Text that looks like the key must not count as a tombstone.
      element('t', 1, 1, { type: 'text', text: '"isDeleted":true' } as any),
    ])
    const { json, live } = await store.elementsJson(page)
    assert.deepEqual(
      (JSON.parse(json) as WbElement[]).sort((x, y) => x.id.localeCompare(y.id)),
      (await store.elements(page)).sort((x, y) => x.id.localeCompare(y.id))
    )
    assert.equal(live, 2)
    assert.deepEqual(await new SceneStore(new MemorySharedState()).elementsJson(page), { json: '[]', live: 0 })
  })
})
