import { test } from '@japa/runner'
import vine, { errors } from '@vinejs/vine'
import { elementsSchema, MAX_ELEMENTS_PER_UPDATE } from '../../element_schema.js'
import { pngSize } from '../../deck_renderer.js'
import { slideElement } from '../../slides.js'
import { element, stroke } from '../element.js'

const validate = vine.compile(vine.object({ elements: elementsSchema }))
const rejects = async (elements: unknown) => {
  try {
    await validate.validate({ elements })
    return false
  } catch (error) {
    return error instanceof errors.E_VALIDATION_ERROR
  }
}

test.group('Whiteboard element validation', () => {
  test('accepts Excalidraw elements and keeps their other fields', async ({ assert }) => {
    const { elements } = await validate.validate({ elements: [element('a'), stroke('s', [[0, 0], [1, 2]])] })
    assert.equal(elements[0].strokeColor, '#1e1e1e')
    assert.deepEqual(elements[1].points, [[0, 0], [1, 2]])
    assert.isFalse(await rejects([slideElement({ fileId: 'fabc', url: '/x', mimeType: 'image/png', width: 1600, height: 900 })]))
  })

  test('refuses malformed elements', async ({ assert }) => {
    const { version, ...noVersion } = element('a')
    assert.equal(version, 1)
    assert.isTrue(await rejects([noVersion]))
    assert.isTrue(await rejects([element('a', 0)]))
    assert.isTrue(await rejects([element('a', 1.5)]))
    assert.isTrue(await rejects([element('bad id with spaces')]))
    assert.isTrue(await rejects([element('a', 1, 1, { type: 'script' })]))
    assert.isTrue(await rejects([element('a', 1, 1, { isDeleted: 'no' as any })]))
    assert.isTrue(await rejects([element('a', 1, 1, { x: Number.NaN })]))
    assert.isTrue(await rejects([element('a', 1, 1, { x: 1e12 })]))
    assert.isTrue(await rejects([stroke('s', [[0, 0, 0] as any])]))
    assert.isTrue(await rejects([]))
    assert.isTrue(await rejects(Array.from({ length: MAX_ELEMENTS_PER_UPDATE + 1 }, (_, i) => element(`e${i}`))))
  })

  test('reads a PNG size from its header', ({ assert }) => {
    const header = Buffer.alloc(24)
    Buffer.from([0x89, 0x50, 0x4e, 0x47]).copy(header, 0)
    header.writeUInt32BE(1600, 16)
    header.writeUInt32BE(900, 20)
    assert.deepEqual(pngSize(header), { width: 1600, height: 900 })
    assert.throws(() => pngSize(Buffer.from('GIF89a-not-a-png-at-all!')))
  })
})
