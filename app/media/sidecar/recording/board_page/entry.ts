/*
| Runs inside the sidecar's headless Chromium page (bundled by esbuild at first use, see
| board_renderer.ts): renders an Excalidraw scene with Excalidraw's own exporter onto a
| fixed-size white canvas and returns it as I420 (yuv420p) bytes, base64, ready for the encoder.
*/
import { exportToCanvas } from '@excalidraw/excalidraw'

interface BoardFile {
  id: string
  mimeType: string
  dataURL: string
}

const files: Record<string, BoardFile & { created: number }> = {}

/** The area a page shows at least (scene units), so one small stroke is not blown up to the whole frame. */
const MIN_AREA = { width: 1280, height: 720 }

function frameElement() {
  return {
    id: '__aula_frame__', type: 'rectangle', x: 0, y: 0, width: MIN_AREA.width, height: MIN_AREA.height, angle: 0,
    strokeColor: 'transparent', backgroundColor: 'transparent', fillStyle: 'solid', strokeWidth: 1, strokeStyle: 'solid',
    roughness: 0, opacity: 0, groupIds: [], frameId: null, roundness: null, seed: 1, version: 1, versionNonce: 1,
    index: 'a0', isDeleted: false, boundElements: null, updated: 1, link: null, locked: true,
  }
}

function toI420(rgba: Uint8ClampedArray, width: number, height: number) {
  const out = new Uint8Array(width * height * 1.5)
  const cw = width >> 1
  const uBase = width * height
  const vBase = uBase + cw * (height >> 1)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4
      out[y * width + x] = (16 + (66 * rgba[i] + 129 * rgba[i + 1] + 25 * rgba[i + 2] + 128) / 256) | 0
    }
  }
  for (let y = 0; y < height; y += 2) {
    for (let x = 0; x < width; x += 2) {
      const i = (y * width + x) * 4
      const r = rgba[i], g = rgba[i + 1], b = rgba[i + 2]
      const c = (y >> 1) * cw + (x >> 1)
      out[uBase + c] = (128 + (-38 * r - 74 * g + 112 * b + 128) / 256) | 0
      out[vBase + c] = (128 + (112 * r - 94 * g - 18 * b + 128) / 256) | 0
    }
  }
  let binary = ''
  for (let i = 0; i < out.length; i += 0x8000) binary += String.fromCharCode.apply(null, out.subarray(i, i + 0x8000) as unknown as number[])
  return btoa(binary)
}

async function renderBoard(scene: { elements: any[]; files: BoardFile[] }, width: number, height: number) {
  for (const file of scene.files) files[file.id] = { ...file, created: Date.now() }
  const source = await exportToCanvas({
    elements: [frameElement(), ...scene.elements.filter((e) => !e.isDeleted)] as never,
    files: files as never,
    appState: { exportBackground: true, viewBackgroundColor: '#ffffff', exportWithDarkMode: false } as never,
    exportPadding: 16,
    getDimensions: (w: number, h: number) => {
      const scale = Math.min(width / w, height / h)
      return { width: Math.round(w * scale), height: Math.round(h * scale), scale }
    },
  })
  const canvas = document.createElement('canvas')
  canvas.width = width
  canvas.height = height
  const ctx = canvas.getContext('2d')!
  ctx.fillStyle = '#ffffff'
  ctx.fillRect(0, 0, width, height)
  ctx.drawImage(source, Math.round((width - source.width) / 2), Math.round((height - source.height) / 2))
  return toI420(ctx.getImageData(0, 0, width, height).data, width, height)
}

;(window as any).renderBoard = renderBoard
;(window as any).boardReady = true
