/*
| Planar YUV 4:2:0 frames (FFmpeg's yuv420p, "I420") as plain Buffers: the compositor copies
| decoded inputs into one output frame with row copies, which costs next to nothing in Node.
*/
export interface I420 {
  width: number
  height: number
  data: Buffer
}

export const i420Size = (width: number, height: number) => width * height + 2 * (width >> 1) * (height >> 1)

/** A frame of one colour (BT.601 limited range, as FFmpeg's default conversion writes). */
export function solidFrame(width: number, height: number, rgb: [number, number, number]): I420 {
  const [r, g, b] = rgb
  const y = Math.round(16 + 0.257 * r + 0.504 * g + 0.098 * b)
  const u = Math.round(128 - 0.148 * r - 0.291 * g + 0.439 * b)
  const v = Math.round(128 + 0.439 * r - 0.368 * g - 0.071 * b)
  const data = Buffer.alloc(i420Size(width, height))
  const luma = width * height
  const chroma = (width >> 1) * (height >> 1)
  data.fill(y, 0, luma)
  data.fill(u, luma, luma + chroma)
  data.fill(v, luma + chroma)
  return { width, height, data }
}

/** Copies `src` into `dst` with its top-left corner at (x, y); both even; clipped to `dst`. */
export function blit(dst: I420, src: I420, x: number, y: number) {
  x &= ~1
  y &= ~1
  const w = Math.min(src.width, dst.width - x)
  const h = Math.min(src.height, dst.height - y)
  if (w <= 0 || h <= 0) return
  for (let row = 0; row < h; row++) {
    src.data.copy(dst.data, (y + row) * dst.width + x, row * src.width, row * src.width + w)
  }
  const dstLuma = dst.width * dst.height
  const srcLuma = src.width * src.height
  const dcw = dst.width >> 1
  const scw = src.width >> 1
  const dstChroma = dcw * (dst.height >> 1)
  const srcChroma = scw * (src.height >> 1)
  for (let plane = 0; plane < 2; plane++) {
    const dBase = dstLuma + plane * dstChroma
    const sBase = srcLuma + plane * srcChroma
    for (let row = 0; row < h >> 1; row++) {
      const s = sBase + row * scw
      src.data.copy(dst.data, dBase + ((y >> 1) + row) * dcw + (x >> 1), s, s + (w >> 1))
    }
  }
}

/** Fills a rectangle of the luma and chroma planes (a frame around a picture-in-picture). */
export function fillRect(dst: I420, x: number, y: number, w: number, h: number, rgb: [number, number, number]) {
  const colour = solidFrame(2, 2, rgb).data
  x &= ~1
  y &= ~1
  w = Math.min(w, dst.width - x) & ~1
  h = Math.min(h, dst.height - y) & ~1
  if (w <= 0 || h <= 0) return
  for (let row = 0; row < h; row++) dst.data.fill(colour[0], (y + row) * dst.width + x, (y + row) * dst.width + x + w)
  const luma = dst.width * dst.height
  const cw = dst.width >> 1
  const chroma = cw * (dst.height >> 1)
  for (let plane = 0; plane < 2; plane++) {
    for (let row = 0; row < h >> 1; row++) {
      const start = luma + plane * chroma + ((y >> 1) + row) * cw + (x >> 1)
      dst.data.fill(colour[4 + plane], start, start + (w >> 1))
    }
  }
}
