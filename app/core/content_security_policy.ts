import type { IncomingMessage } from 'node:http'

/*
| The Content-Security-Policy every routed response carries (config/shield.ts; docs/security.md says
| why each source is allowed). An inline script runs only with this response's nonce (inertia_layout.edge's
| @vite tags get `cspNonce`); script files only from Aula's own origin (Vite's chunks, Excalidraw's
| lazy chunks and worker). No 'unsafe-inline', no 'unsafe-eval' (only 'wasm-unsafe-eval', for WebAssembly),
| no plugins, no framing, forms only to Aula itself.
|
| No 'strict-dynamic': Chromium lets it run any inline <script> a running script creates, nonce or
| not, and every script Aula loads is on its own origin anyway, which 'self' names exactly.
*/

/** A Host header usable inside a source expression (anything else is left out, never echoed). */
const HOST = /^(?:[a-z0-9-]+(?:\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i

/** Vite's HMR socket in middleware mode listens on its own port (development and tests only). */
export const VITE_HMR_PORT = 24678

/** ws: and wss: of the page's own host: socket.io's WebSocket (older browsers do not count them as 'self'). */
export function ownSocketSources(hostHeader: string | undefined, appUrl?: string) {
  const hosts = new Set<string>()
  if (hostHeader && HOST.test(hostHeader)) hosts.add(hostHeader.toLowerCase())
  if (appUrl) {
    try {
      const host = new URL(appUrl).host
      if (HOST.test(host)) hosts.add(host.toLowerCase())
    } catch {}
  }
  return [...hosts].flatMap((host) => [`ws://${host}`, `wss://${host}`]).join(' ')
}

/** The HMR socket's source, on the page's host name (development only). */
function hmrSocketSource(hostHeader: string | undefined) {
  if (!hostHeader || !HOST.test(hostHeader)) return `ws://localhost:${VITE_HMR_PORT}`
  const name = hostHeader.startsWith('[') ? hostHeader.slice(0, hostHeader.indexOf(']') + 1) : hostHeader.split(':')[0]
  return `ws://${name.toLowerCase()}:${VITE_HMR_PORT}`
}

export function contentSecurityPolicyDirectives(options: { appUrl?: string; viteHmr: boolean }) {
  const sockets = (req: IncomingMessage) => ownSocketSources(req.headers.host, options.appUrl)
  const hmr = (req: IncomingMessage) => hmrSocketSource(req.headers.host)
  return {
    defaultSrc: ["'self'"],
    // '@nonce' is shield's keyword for this response's nonce. 'wasm-unsafe-eval' lets WebAssembly modules
    // from Aula's own files compile (the RNNoise noise suppressor in an AudioWorklet); it allows no
    // JavaScript eval, new Function or string timers.
    scriptSrc: ["'self'", '@nonce', "'wasm-unsafe-eval'"],
    scriptSrcAttr: ["'none'"],
    // <style> and <link rel=stylesheet>: Aula's own CSS files, and <style> elements only with the nonce
    // (Vite's dev client and preload helper read it from <meta property="csp-nonce">).
    styleSrcElem: ["'self'", '@nonce'],
    // style="..." attributes: Vue's :style bindings, Excalidraw's and ECharts' positioning of their
    // elements set them, and a nonce cannot be put on an attribute. Attributes cannot load anything
    // but images (img-src applies) and cannot run script.
    styleSrcAttr: ["'unsafe-inline'"],
    styleSrc: ["'self'", '@nonce'],
    // The page itself, the socket.io WebSocket, Transmit's EventSource; Vite's HMR socket in development.
    connectSrc: ["'self'", sockets, ...(options.viteHmr ? [hmr] : [])],
    // data: and blob: images: Excalidraw's image elements and exports, avatars read from a file input.
    imgSrc: ["'self'", 'data:', 'blob:'],
    // blob: for Media Source Extensions (hls.js); camera and microphone streams are srcObject, not URLs.
    mediaSrc: ["'self'", 'blob:'],
    // Excalidraw's font subsetting worker (a same-origin chunk) and hls.js' transmuxing worker (blob:).
    workerSrc: ["'self'", 'blob:'],
    // Excalidraw's fonts from Aula's own assets (never a CDN); data: for fonts inlined into exports.
    fontSrc: ["'self'", 'data:'],
    frameSrc: ["'self'"],
    objectSrc: ["'none'"],
    baseUri: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
  }
}
