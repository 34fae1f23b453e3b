import type { WbElement } from '../events.js'

/** A minimal valid Excalidraw element for tests. */
export function element(id: string, version = 1, versionNonce = 1000, extra: Partial<WbElement> = {}): WbElement {
  return {
    id,
    type: 'rectangle',
    x: 10,
    y: 20,
    width: 100,
    height: 50,
    angle: 0,
    strokeColor: '#1e1e1e',
    backgroundColor: 'transparent',
    version,
    versionNonce,
    isDeleted: false,
    ...extra,
  }
}

export function stroke(id: string, points: [number, number][], version = 1, versionNonce = 7): WbElement {
  return element(id, version, versionNonce, { type: 'freedraw', points, pressures: [], simulatePressure: true })
}
