/*
| Stage geometry: where each tile goes in a stage of a given size. Pure functions so that the stage
| can place every tile absolutely inside one keyed list: a tile that moves (featured ↔ grid ↔ strip)
| keeps its <video> element and its stream.
*/
export interface Box {
  left: number
  top: number
  width: number
  height: number
}

const RATIO = 16 / 9

/** The best grid for `n` tiles of 16:9 inside `area`: tiles as large as possible, centred. */
export function fitGrid(n: number, area: Box, gap: number): Box[] {
  if (n <= 0 || area.width <= 0 || area.height <= 0) return []
  let best = { cols: 1, width: 0, height: 0 }
  for (let cols = 1; cols <= n; cols++) {
    const rows = Math.ceil(n / cols)
    const cellW = (area.width - gap * (cols - 1)) / cols
    const cellH = (area.height - gap * (rows - 1)) / rows
    const width = Math.min(cellW, cellH * RATIO)
    if (width > best.width) best = { cols, width, height: width / RATIO }
  }
  const rows = Math.ceil(n / best.cols)
  const usedH = rows * best.height + gap * (rows - 1)
  const boxes: Box[] = []
  for (let i = 0; i < n; i++) {
    const row = Math.floor(i / best.cols)
    const inRow = row === rows - 1 ? n - row * best.cols : best.cols
    const rowW = inRow * best.width + gap * (inRow - 1)
    const col = i - row * best.cols
    boxes.push({
      left: area.left + (area.width - rowW) / 2 + col * (best.width + gap),
      top: area.top + (area.height - usedH) / 2 + row * (best.height + gap),
      width: best.width,
      height: best.height,
    })
  }
  return boxes
}

/** How many tiles fit in `area` while each stays at least `minWidth` wide. */
export function capacity(area: Box, gap: number, minWidth: number) {
  let n = 1
  while (n < 200) {
    const boxes = fitGrid(n + 1, area, gap)
    if (!boxes.length || boxes[0].width < minWidth) break
    n++
  }
  return n
}

export interface StageLayout {
  main: Box | null
  boxes: Box[]
  pageSize: number
}

/**
 * `featured`: whether one tile (or the screen share) takes the stage; the others go into a strip
 * beside it (landscape) or below it (portrait). Without it, all tiles share a grid that fills the
 * stage. `count`: tiles besides the featured one; at most `pageSize` are placed.
 */
export function layoutStage(size: { width: number; height: number }, count: number, featured: boolean, gap = 8): StageLayout {
  const phone = size.width < 600
  const minWidth = phone ? 110 : 160
  const all: Box = { left: 0, top: 0, width: size.width, height: size.height }
  if (!featured) {
    const pageSize = Math.max(1, capacity(all, gap, minWidth))
    return { main: null, boxes: fitGrid(Math.min(count, pageSize), all, gap), pageSize }
  }
  if (count === 0) return { main: all, boxes: [], pageSize: 0 }
  const landscape = size.width / Math.max(1, size.height) > 1.25
  let main: Box
  let strip: Box
  if (landscape) {
    const stripW = Math.min(Math.max(size.width * 0.24, 180), 360)
    main = { left: 0, top: 0, width: size.width - stripW - gap, height: size.height }
    strip = { left: size.width - stripW, top: 0, width: stripW, height: size.height }
  } else {
    const stripH = Math.min(Math.max(size.height * 0.3, 90), 260)
    main = { left: 0, top: 0, width: size.width, height: size.height - stripH - gap }
    strip = { left: 0, top: size.height - stripH, width: size.width, height: stripH }
  }
  const pageSize = Math.max(1, capacity(strip, gap, minWidth * 0.75))
  return { main, boxes: fitGrid(Math.min(count, pageSize), strip, gap), pageSize }
}
