import { readFile } from 'node:fs/promises'
import type { Plugin } from 'vite'

/*
| Excalidraw subsets the whiteboard's fonts for an SVG export in a worker, and gives that worker one
| second to load its chunk, compile its WebAssembly and answer. On a busy machine it misses that second;
| Excalidraw then subsets on the page, where the WebAssembly glue (emscripten's embind) needs eval, which
| Aula's Content-Security-Policy refuses: the export falls back to the whole font and the browser reports
| a violation. Excalidraw has no option for this, so the build and the dev server give the worker 30 s
| (a worker that fails to start still reports at once; only a slow one is waited for).
*/
const EXCALIDRAW_DIST = /[\\/]@excalidraw[\\/]excalidraw[\\/]dist[\\/].*\.js$/
const WORKER_TTL = /(this\.workerTTL\s*=\s*\w+\.ttl\s*\|\|\s*)1e3\b/g
export const SUBSET_WORKER_TTL_MS = 30_000

/** Excalidraw's module text with the worker pool's default time-to-live raised; unchanged when absent. */
export function withPatientWorkers(code: string): { code: string; replaced: number } {
  let replaced = 0
  const patched = code.replace(WORKER_TTL, (_match, assignment: string) => {
    replaced++
    return `${assignment}${SUBSET_WORKER_TTL_MS}`
  })
  return { code: patched, replaced }
}

/** The Vite plugin (production build) and the esbuild plugin for the dev server's pre-bundling. */
export function excalidrawWorkerPatience(): Plugin {
  return {
    name: 'aula:excalidraw-worker-patience',
    enforce: 'pre',
    transform(code, id) {
      if (!EXCALIDRAW_DIST.test(id) || !code.includes('workerTTL')) return null
      return { code: withPatientWorkers(code).code, map: null }
    },
    config() {
      return {
        optimizeDeps: {
          esbuildOptions: {
            plugins: [
              {
                name: 'aula:excalidraw-worker-patience',
                setup(build) {
                  build.onLoad({ filter: EXCALIDRAW_DIST }, async ({ path }) => {
                    const code = await readFile(path, 'utf8')
                    if (!code.includes('workerTTL')) return undefined
                    return { contents: withPatientWorkers(code).code, loader: 'js' }
                  })
                },
              },
            ],
          },
        },
      }
    },
  }
}
