/*
| Loads Excalidraw (React 19) on demand, so the classroom bundle stays small until a board is shown.
| Fonts come from our own server: EXCALIDRAW_ASSET_PATH must be set before the package loads,
| otherwise Excalidraw falls back to a CDN (which fails offline and leaks requests).
*/
import { ASSET_PATH } from './api'

export type ExcalidrawRuntime = typeof import('./excalidraw_runtime')

declare global {
  interface Window {
    EXCALIDRAW_ASSET_PATH?: string | string[]
    /** Tests only: the read-only viewer's Excalidraw API. */
    __aulaWhiteboardViewer?: { api: import('./excalidraw_runtime').ExcalidrawImperativeAPI }
  }
}

let loading: Promise<ExcalidrawRuntime> | null = null

export function loadExcalidraw(): Promise<ExcalidrawRuntime> {
  window.EXCALIDRAW_ASSET_PATH = ASSET_PATH
  if (!loading) {
    loading = import('./excalidraw_runtime')
    loading.catch(() => (loading = null))
  }
  return loading
}
