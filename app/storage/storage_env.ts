import { isAbsolute, join } from 'node:path'
import type { Disk } from 'flydrive'

type EnvLike = Record<string, string | undefined>

export interface StorageSettings {
  driver: 'fs' | 's3'
  fs: { location: string; visibility: 'private' }
  s3: {
    bucket: string
    region: string
    endpoint?: string
    forcePathStyle: boolean
    credentials: { accessKeyId: string; secretAccessKey: string }
    visibility: 'private'
    supportsACL: false
  }
}

/**
 * Storage settings from the environment, shared by the web processes (config/drive.ts) and the
 * media sidecar, which has no AdonisJS container and builds its own flydrive disk from them.
 */
export function storageSettingsFromEnv(env: EnvLike = process.env): StorageSettings {
  const root = env.AULA_STORAGE_PATH || 'storage'
  const driver = env.DRIVE_DISK === 's3' ? 's3' : 'fs'
  if (driver === 's3' && !env.S3_BUCKET) throw new Error('DRIVE_DISK=s3 needs S3_BUCKET')
  return {
    driver,
    fs: { location: isAbsolute(root) ? root : join(process.cwd(), root), visibility: 'private' },
    s3: {
      bucket: env.S3_BUCKET ?? '',
      region: env.S3_REGION || 'us-east-1',
      endpoint: env.S3_ENDPOINT || undefined,
      forcePathStyle: env.S3_FORCE_PATH_STYLE !== 'false',
      credentials: { accessKeyId: env.S3_ACCESS_KEY_ID ?? '', secretAccessKey: env.S3_SECRET_ACCESS_KEY ?? '' },
      visibility: 'private',
      supportsACL: false,
    },
  }
}

/** A flydrive disk for these settings; the S3 SDK is only loaded when S3 is configured. */
export async function diskFromSettings(settings: StorageSettings): Promise<Disk> {
  const { Disk } = await import('flydrive')
  if (settings.driver === 's3') {
    const { S3Driver } = await import('flydrive/drivers/s3')
    return new Disk(new S3Driver(settings.s3))
  }
  const { FSDriver } = await import('flydrive/drivers/fs')
  return new Disk(new FSDriver(settings.fs))
}
