import type { HttpContext } from '@adonisjs/core/http'
import app from '@adonisjs/core/services/app'
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { extname, join, normalize, sep } from 'node:path'
import { notFound } from '../access.js'

/** Excalidraw's fonts, served by Aula itself (window.EXCALIDRAW_ASSET_PATH) so nothing comes from a CDN. */
const ASSET_ROOT = app.makePath('node_modules', '@excalidraw', 'excalidraw', 'dist', 'prod')
const TYPES: Record<string, string> = {
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.css': 'text/css',
  '.js': 'text/javascript',
  '.json': 'application/json',
}

export class AssetsController {
  async show({ params, response }: HttpContext) {
    const relative = normalize((params['*'] as string[]).join('/'))
    const path = join(ASSET_ROOT, relative)
    if (!path.startsWith(ASSET_ROOT + sep) || !TYPES[extname(path)]) throw notFound()
    const info = await stat(path).catch(() => null)
    if (!info?.isFile()) throw notFound()
    response.header('Content-Type', TYPES[extname(path)])
    response.header('Content-Length', String(info.size))
    response.header('Cache-Control', 'public, max-age=604800, immutable')
    return response.stream(createReadStream(path))
  }
}
