import { test } from '@japa/runner'
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { randomBytes } from 'node:crypto'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
// @ts-ignore s3rver ships no types
import S3rver from 's3rver'
import { diskFromSettings, storageSettingsFromEnv } from '#app/storage/storage_env'
import { fileStorage } from '#app/storage/file_storage'
import { SpoolUploader } from '#app/media/sidecar/recording/spool_uploader'
import { storedParts } from '../../assemble.js'

test.group('Recording storage on S3-compatible object storage (s3rver on loopback)', () => {
  test('the sidecar’s spool uploader moves finished segments to S3, skips unfinished ones, and the web side lists and range-reads them', async ({ assert }) => {
    const dir = await mkdtemp(join(tmpdir(), 'aula-s3-'))
    const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: join(dir, 's3'), configureBuckets: [{ name: 'aula-recordings' }] })
    const { port } = await server.run()
    try {
      const settings = storageSettingsFromEnv({
        DRIVE_DISK: 's3',
        S3_BUCKET: 'aula-recordings',
        S3_ENDPOINT: `http://127.0.0.1:${port}`,
        S3_ACCESS_KEY_ID: 'S3RVER',
        S3_SECRET_ACCESS_KEY: 'S3RVER',
      })
      const disk = await diskFromSettings(settings)
      const spool = join(dir, 'spool')
      const partDir = join(spool, 'recordings', 'rec-s3-test', 'parts', 'p1')
      await mkdir(partDir, { recursive: true })
      const segment = randomBytes(50_000)
      await writeFile(join(partDir, 'part.json'), JSON.stringify({ partId: 'p1', startedAt: 1000 }))
      await writeFile(join(partDir, 'init.mp4'), 'init')
      await writeFile(join(partDir, 'seg_00000.m4s'), segment)
      await writeFile(join(partDir, 'seg_00001.m4s.tmp'), 'still being written')

      const uploader = new SpoolUploader(spool, disk, () => {})
      uploader.track(partDir, 'rec-s3-test')
      await uploader.scan()
      const prefix = 'recordings/rec-s3-test/parts/p1'
      assert.isTrue(await disk.exists(`${prefix}/seg_00000.m4s`))
      assert.isFalse(await disk.exists(`${prefix}/seg_00001.m4s.tmp`), 'an unfinished segment is not uploaded')
      assert.notInclude(await readdir(partDir), 'seg_00000.m4s', 'the spool keeps no copy of a stored segment')

      // FFmpeg renames the finished segment; the encoder exits; the part is flushed and its folder removed.
      await rm(join(partDir, 'seg_00001.m4s.tmp'))
      await writeFile(join(partDir, 'seg_00001.m4s'), 'last')
      uploader.close(partDir)
      assert.isTrue(await uploader.flush('rec-s3-test', 5000))
      await assert.rejects(() => readdir(partDir))

      const parts = await storedParts(disk, 'rec-s3-test')
      assert.deepEqual(parts.map((p) => ({ partId: p.partId, startedAt: p.startedAt, segments: p.segments.length })), [{ partId: 'p1', startedAt: 1000, segments: 2 }])
      const bytes = Buffer.concat(await (await fileStorage.readRange(`${prefix}/seg_00000.m4s`, 1000, 1999, settings)).toArray())
      assert.isTrue(bytes.equals(segment.subarray(1000, 2000)))
      uploader.stop()
    } finally {
      await server.close()
      await rm(dir, { recursive: true, force: true })
    }
  })
})
