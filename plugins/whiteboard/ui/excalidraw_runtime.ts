/* Everything React/Excalidraw in one lazily loaded module (see excalidraw.ts). */
import '@excalidraw/excalidraw/index.css'
// React ships without type declarations here (no @types/react); only these two calls are used.
// @ts-ignore
import { createElement as reactCreateElement } from 'react'
// @ts-ignore
import { createRoot as reactCreateRoot } from 'react-dom/client'

export interface Root {
  render(children: unknown): void
  unmount(): void
}
export const createElement = reactCreateElement as (type: unknown, props?: Record<string, unknown> | null, ...children: unknown[]) => unknown
export const createRoot = reactCreateRoot as (container: Element) => Root

export {
  Excalidraw,
  MainMenu,
  CaptureUpdateAction,
  reconcileElements,
  restoreElements,
  exportToBlob,
  exportToSvg,
  exportToCanvas,
  getNonDeletedElements,
  convertToExcalidrawElements,
} from '@excalidraw/excalidraw'
export type { ExcalidrawImperativeAPI, AppState, BinaryFileData, BinaryFiles } from '@excalidraw/excalidraw/types'
