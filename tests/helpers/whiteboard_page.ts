import type { Page } from 'playwright-core'

/** Brings the class's whiteboard onto the stage (another stage, e.g. video, may be first) and waits until it is synced. */
export async function openBoard(page: Page) {
  const switchButton = page.locator('.stage-switch button', { hasText: 'Whiteboard' })
  await page.waitForFunction(() => document.querySelector('[data-test=wb-stage]') || document.querySelector('.stage-switch'))
  if (await switchButton.count()) await switchButton.click()
  await page.waitForSelector('[data-test=wb-stage][data-status=ready]', { timeout: 30_000 })
  await page.waitForFunction(() => !!(window as any).__aulaWhiteboard?.sync.pageId && (window as any).__aulaWhiteboard.sync.attached)
}

/** What the page shows at a point, and what its Excalidraw thinks, for a failure message. */
function boardStateAt(page: Page, x: number, y: number) {
  return page.evaluate(
    ({ x, y }) => {
      const api = (window as any).__aulaWhiteboard.api
      const at = document.elementFromPoint(x, y)
      return `tool=${api.getAppState().activeTool.type}, at (${x}, ${y}): <${at?.tagName.toLowerCase()} class="${at?.getAttribute('class') ?? ''}">`
    },
    { x, y }
  )
}

/**
 * Writes `text` with Excalidraw's text tool at a point of the page, as a user does: text tool, a click,
 * typing into the editor Excalidraw opens, Escape. Under load a click can land before Excalidraw has
 * switched tools, so a click that opens no editor is repeated (three tries); the text must then be on
 * the scene.
 */
export async function writeText(page: Page, at: { x: number; y: number }, text: string) {
  const tries: string[] = []
  for (let attempt = 1; attempt <= 3; attempt++) {
    await page.evaluate(() => (window as any).__aulaWhiteboard.api.setActiveTool({ type: 'text' }))
    await page.waitForFunction(() => (window as any).__aulaWhiteboard.api.getAppState().activeTool.type === 'text', null, { timeout: 10_000 })
    await page.mouse.click(at.x, at.y)
    const editor = await page
      .waitForFunction(() => document.activeElement?.matches('textarea.excalidraw-wysiwyg') ?? false, null, { timeout: 8_000 })
      .then(
        () => true,
        () => false
      )
    if (!editor) {
      tries.push(`try ${attempt}: no focused text editor after the click; ${await boardStateAt(page, at.x, at.y)}`)
      continue
    }
    await page.keyboard.type(text)
    await page.keyboard.press('Escape')
    const written = await page
      .waitForFunction((t) => (window as any).__aulaWhiteboard.api.getSceneElements().some((e: any) => e.type === 'text' && e.text === t), text, {
        timeout: 8_000,
      })
      .then(
        () => true,
        () => false
      )
    if (written) return
    tries.push(`try ${attempt}: the editor opened but no text element reads "${text}"`)
  }
  throw new Error(`could not write "${text}" on the whiteboard:\n${tries.join('\n')}`)
}
