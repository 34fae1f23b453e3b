import { createReadStream } from 'node:fs'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import drive from '@adonisjs/drive/services/main'
import { storageSettingsFromEnv, type StorageSettings } from '#app/storage/storage_env'

/** Refuses keys that could leave the storage root. */
function safeKey(key: string) {
  if (key.startsWith('/') || key.split('/').includes('..')) throw new Error(`invalid storage key: ${key}`)
  return key
}

/**
 * The configured disk plus what HTTP Range responses need and flydrive does not offer:
 * the byte size of a file and a stream of an inclusive byte range (local file stream or S3 GetObject with Range).
 */
export const fileStorage = {
  disk() {
    return drive.use()
  },

  /** The file's byte size, or null when there is no such file (one request to the disk when it is there). */
  async size(key: string) {
    const disk = drive.use()
    safeKey(key)
    try {
      return (await disk.getMetaData(key)).contentLength
    } catch (error) {
      if (!(await disk.exists(key))) return null
      throw error
    }
  },

  async readRange(key: string, start: number, end: number, settings: StorageSettings = storageSettingsFromEnv()): Promise<Readable> {
    safeKey(key)
    if (settings.driver === 'fs') return createReadStream(join(settings.fs.location, key), { start, end })
    const { S3Client, GetObjectCommand } = await import('@aws-sdk/client-s3')
    const client = new S3Client(settings.s3)
    const reply = await client.send(
      new GetObjectCommand({ Bucket: settings.s3.bucket, Key: key, Range: `bytes=${start}-${end}` })
    )
    return reply.Body as Readable
  },
}
