import app from '@adonisjs/core/services/app'
import { join } from 'node:path'

/** Where slide images live: AULA_STORAGE_PATH (a mounted volume in production) or ./storage. */
export function storageDir(...parts: string[]) {
  return join(process.env.AULA_STORAGE_PATH || app.makePath('storage'), 'whiteboard', ...parts)
}
