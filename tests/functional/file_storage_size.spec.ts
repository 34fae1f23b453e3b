import { test } from '@japa/runner'
import { randomUUID } from 'node:crypto'
import { fileStorage } from '#app/storage/file_storage'

/* What HTTP Range responses (recording playback) ask the storage: a file's size, null for no file, never a key outside the root. */
test.group('File storage: size', () => {
  test('the byte size of a stored file, null for a missing one, and keys that leave the root refused', async ({ assert }) => {
    const key = `tests/size-${randomUUID()}.bin`
    await fileStorage.disk().put(key, 'twelve bytes')
    try {
      assert.equal(await fileStorage.size(key), 12)
      assert.isNull(await fileStorage.size(`tests/missing-${randomUUID()}.bin`))
      for (const unsafe of ['../outside.bin', 'tests/../../outside.bin', '/etc/passwd']) {
        await assert.rejects(() => fileStorage.size(unsafe), /invalid storage key/)
      }
    } finally {
      await fileStorage.disk().delete(key)
    }
  })
})
