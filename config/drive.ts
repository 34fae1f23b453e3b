import { defineConfig, services } from '@adonisjs/drive'
import { storageSettingsFromEnv } from '#app/storage/storage_env'

/*
| File storage (recordings): local disk under AULA_STORAGE_PATH by default, S3-compatible object
| storage with DRIVE_DISK=s3 (S3_BUCKET, S3_ENDPOINT, S3_REGION, S3_ACCESS_KEY_ID,
| S3_SECRET_ACCESS_KEY, S3_FORCE_PATH_STYLE). Files are never served from a public path: routes
| check access first (see plugins/recording).
*/
const settings = storageSettingsFromEnv()

const driveConfig = defineConfig({
  default: settings.driver,
  services: {
    fs: services.fs({ ...settings.fs, serveFiles: false }),
    s3: services.s3(settings.s3),
  },
})

export default driveConfig

declare module '@adonisjs/drive/types' {
  export interface DriveDisks extends InferDriveDisks<typeof driveConfig> {}
}
