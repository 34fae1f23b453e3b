import { randomBytes } from 'node:crypto'
import { rename } from 'node:fs/promises'
import { join } from 'node:path'
import WhiteboardFile from './models/whiteboard_file.js'
import { SLIDE_ELEMENT_PREFIX } from './element_schema.js'
import type { RenderedSlide } from './deck_renderer.js'
import type { WbBackground, WbElement } from './events.js'

/** Slides are placed at this width in scene units, whatever their pixel size. */
const SLIDE_SCENE_WIDTH = 1280

/** The locked image element that shows a slide as the page's background. */
export function slideElement(background: WbBackground): WbElement {
  const height = Math.round((SLIDE_SCENE_WIDTH * background.height) / background.width)
  return {
    id: `${SLIDE_ELEMENT_PREFIX}${background.fileId}`,
    type: 'image',
    x: 0,
    y: 0,
    width: SLIDE_SCENE_WIDTH,
    height,
    angle: 0,
    strokeColor: 'transparent',
    backgroundColor: 'transparent',
    fillStyle: 'solid',
    strokeWidth: 1,
    strokeStyle: 'solid',
    roughness: 0,
    opacity: 100,
    groupIds: [],
    frameId: null,
    roundness: null,
    seed: 1,
    version: 1,
    versionNonce: 0,
    index: 'a0',
    isDeleted: false,
    boundElements: null,
    updated: Date.now(),
    link: null,
    locked: true,
    status: 'saved',
    fileId: background.fileId,
    scale: [1, 1],
    crop: null,
  }
}

/** Moves rendered slides into the class's storage folder and records them. */
export async function storeSlides(slides: RenderedSlide[], target: { sessionId: number; schoolId: number; dir: string }) {
  const backgrounds: WbBackground[] = []
  for (const slide of slides) {
    const fileKey = `f${randomBytes(12).toString('base64url')}`
    const path = join(target.dir, `${fileKey}.png`)
    await rename(slide.path, path)
    await WhiteboardFile.create({
      fileKey,
      classSessionId: target.sessionId,
      schoolId: target.schoolId,
      path,
      mimeType: 'image/png',
      width: slide.width,
      height: slide.height,
      bytes: slide.bytes,
    })
    backgrounds.push({ fileId: fileKey, url: `/plugins/whiteboard/files/${fileKey}`, mimeType: 'image/png', width: slide.width, height: slide.height })
  }
  return backgrounds
}
