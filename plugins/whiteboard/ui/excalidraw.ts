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

/**
 * Keeps only the sources on this origin in a FontFace's `src` list. Excalidraw gives every font face
 * Aula's copy (EXCALIDRAW_ASSET_PATH) and then esm.sh as a fallback; Chromium checks each listed source
 * against the Content-Security-Policy as the face is created, so each of its ~250 faces would report a
 * font-src violation (and without a policy a missing local font would be fetched from the CDN).
 * A list with no source on this origin is left as it is, so the policy still reports it.
 */
export function sameOriginFontSources(source: string, origin = window.location.origin) {
  const sources = source.split(/,\s*(?=url\(|local\()/)
  const own = sources.filter((item) => {
    const match = /^url\((['"]?)(.+?)\1\)/.exec(item.trim())
    if (!match) return true
    try {
      return new URL(match[2], origin).origin === origin
    } catch {
      return false
    }
  })
  return own.length ? own.join(', ') : source
}

function keepFontSourcesLocal() {
  const Native = window.FontFace
  if ((Native as any).aulaLocalSources) return
  class LocalFontFace extends Native {
    static aulaLocalSources = true
    constructor(family: string, source: string | BufferSource, descriptors?: FontFaceDescriptors) {
      super(family, typeof source === 'string' ? sameOriginFontSources(source) : source, descriptors)
    }
  }
  window.FontFace = LocalFontFace
}

export function loadExcalidraw(): Promise<ExcalidrawRuntime> {
  window.EXCALIDRAW_ASSET_PATH = ASSET_PATH
  keepFontSourcesLocal()
  if (!loading) {
    loading = import('./excalidraw_runtime')
    loading.catch(() => (loading = null))
  }
  return loading
}
