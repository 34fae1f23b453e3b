import { RnnoiseWorkletNode, loadRnnoise } from '@sapphi-red/web-noise-suppressor'
import rnnoiseWorkletUrl from '@sapphi-red/web-noise-suppressor/rnnoiseWorklet.js?url'
import rnnoiseWasmUrl from '@sapphi-red/web-noise-suppressor/rnnoise.wasm?url'
import rnnoiseSimdWasmUrl from '@sapphi-red/web-noise-suppressor/rnnoise_simd.wasm?url'

/*
| Stronger noise suppression (school setting `strongNoiseSuppression`, applied to students' microphones):
| the microphone track runs through RNNoise (@sapphi-red/web-noise-suppressor, WebAssembly) in an
| AudioWorklet, and the worklet's output track is what the tab sends. The worklet script and both
| wasm builds are files of Aula's own bundle (Vite `?url` imports), never a CDN. The browser's own echo
| cancellation, noise suppression and auto gain stay on in getUserMedia in any case.
*/
export interface NoisePipeline {
  /** The processed track, to be produced instead of the microphone's own. */
  track: MediaStreamTrack
  context: AudioContext
  node: AudioWorkletNode
  /** True once the worklet's processor threw (it then outputs silence). */
  failed(): boolean
  close(): void
}

let wasm: Promise<ArrayBuffer> | null = null

export async function suppressNoise(input: MediaStreamTrack): Promise<NoisePipeline> {
  // RNNoise works on 48 kHz frames.
  const context = new AudioContext({ sampleRate: 48_000 })
  try {
    wasm ??= loadRnnoise({ url: rnnoiseWasmUrl, simdUrl: rnnoiseSimdWasmUrl })
    const [binary] = await Promise.all([wasm, context.audioWorklet.addModule(rnnoiseWorkletUrl)])
    const node = new RnnoiseWorkletNode(context, { maxChannels: 1, wasmBinary: binary })
    let failed = false
    node.addEventListener('processorerror', (event) => {
      failed = true
      console.warn('RNNoise worklet failed', event)
    })
    const source = context.createMediaStreamSource(new MediaStream([input]))
    const destination = context.createMediaStreamDestination()
    source.connect(node).connect(destination)
    const track = destination.stream.getAudioTracks()[0]
    // An AudioContext made without a user gesture starts suspended: resume it on the first one.
    const resume = () => context.resume().catch(() => {})
    if (context.state !== 'running') {
      resume()
      document.addEventListener('pointerdown', resume, { once: true })
      document.addEventListener('keydown', resume, { once: true })
    }
    return {
      track,
      context,
      node,
      failed: () => failed,
      close() {
        document.removeEventListener('pointerdown', resume)
        document.removeEventListener('keydown', resume)
        source.disconnect()
        node.disconnect()
        node.destroy()
        track.stop()
        context.close().catch(() => {})
      },
    }
  } catch (error) {
    wasm = null
    context.close().catch(() => {})
    throw error
  }
}
