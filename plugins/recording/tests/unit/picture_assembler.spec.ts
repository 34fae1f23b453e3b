import { test } from '@japa/runner'
import { PictureAssembler } from '#app/media/sidecar/recording/picture_assembler'

const bytesOf = (pictures: { data: Buffer }[]) => pictures.map((p) => [...p.data])

test.group('Recording: raw pictures cut from a decoder’s output into reused buffers (PictureAssembler)', () => {
  test('chunks of any size become whole pictures, each stamped with when its first bytes came', ({ assert }) => {
    const pictures = new PictureAssembler(4, 3)
    const bytes = Buffer.from([1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3])
    assert.deepEqual(pictures.push(bytes.subarray(0, 3), 10), [])
    const first = pictures.push(bytes.subarray(3, 6), 20)
    assert.deepEqual(bytesOf(first), [[1, 1, 1, 1]])
    assert.equal(first[0].startedAt, 10, 'the first picture started with the first chunk')
    const rest = pictures.push(bytes.subarray(6), 30)
    assert.deepEqual(bytesOf(rest), [[2, 2, 2, 2], [3, 3, 3, 3]], 'one chunk may end one picture and hold a whole other one')
    assert.deepEqual(rest.map((p) => p.startedAt), [20, 30], 'the second picture started in the chunk that ended the first')
  })

  test('buffers are reused in turn, `ring` pictures later', ({ assert }) => {
    const pictures = new PictureAssembler(2, 3)
    const [a, b, c] = pictures.push(Buffer.from([1, 1, 2, 2, 3, 3]), 0)
    assert.lengthOf(new Set([a.data, b.data, c.data]), 3)
    assert.deepEqual(bytesOf([a, b, c]), [[1, 1], [2, 2], [3, 3]], 'the last `ring` pictures are all intact')
    const [d] = pictures.push(Buffer.from([4, 4]), 0)
    assert.strictEqual(d.data, a.data, 'the fourth picture reuses the first one’s buffer')
  })

  test('a picture cut short by a decoder restart is dropped', ({ assert }) => {
    const pictures = new PictureAssembler(2, 3)
    pictures.push(Buffer.from([9]), 0)
    pictures.reset()
    assert.deepEqual(bytesOf(pictures.push(Buffer.from([4, 4]), 0)), [[4, 4]], 'the half picture before the restart is not in the next one')
  })
})
