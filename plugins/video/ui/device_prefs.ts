/*
| The camera, microphone and speaker a person picked in the device check (or in the classroom's device
| menu), remembered per browser in localStorage and used when joining a class. Labels are kept too:
| a device id can change (browser data cleared, device re-plugged), then the device with the same
| label is taken, and otherwise the browser's default.
*/
export interface DevicePrefs {
  camId: string | null
  camLabel: string | null
  micId: string | null
  micLabel: string | null
  speakerId: string | null
  speakerLabel: string | null
}

const KEY = 'aula.devices.v1'
const EMPTY: DevicePrefs = { camId: null, camLabel: null, micId: null, micLabel: null, speakerId: null, speakerLabel: null }

export function loadDevicePrefs(): DevicePrefs {
  try {
    const raw = JSON.parse(localStorage.getItem(KEY) ?? 'null')
    if (!raw || typeof raw !== 'object') return { ...EMPTY }
    const text = (value: unknown) => (typeof value === 'string' && value.length <= 512 ? value : null)
    return {
      camId: text(raw.camId),
      camLabel: text(raw.camLabel),
      micId: text(raw.micId),
      micLabel: text(raw.micLabel),
      speakerId: text(raw.speakerId),
      speakerLabel: text(raw.speakerLabel),
    }
  } catch {
    return { ...EMPTY }
  }
}

export function saveDevicePrefs(change: Partial<DevicePrefs>) {
  const next = { ...loadDevicePrefs(), ...change }
  try {
    localStorage.setItem(KEY, JSON.stringify(next))
  } catch {}
  return next
}

/** The id of the remembered device among those present now: same id, else same label, else null (browser default). */
export function resolveDevice(devices: MediaDeviceInfo[], id: string | null, label: string | null): string | null {
  if (id && devices.some((d) => d.deviceId === id)) return id
  if (label) return devices.find((d) => d.label === label)?.deviceId ?? null
  return null
}

/** setSinkId exists in Chromium and Firefox, not in Safari; where missing, the default speaker plays. */
export async function applySpeaker(element: HTMLMediaElement, speakerId: string | null) {
  const media = element as HTMLMediaElement & { setSinkId?: (id: string) => Promise<void>; sinkId?: string }
  if (!media.setSinkId || (media.sinkId ?? '') === (speakerId ?? '')) return
  await media.setSinkId(speakerId ?? '').catch(() => {})
}

export const speakerChoiceSupported = () => typeof (HTMLMediaElement.prototype as any).setSinkId === 'function'
