import type { PluginHost } from '#app/plugins/api'
import type { AttendanceSettingsSchema } from './settings.js'

export type AttendanceHost = PluginHost<AttendanceSettingsSchema>

let current: AttendanceHost | null = null

/** The plugin's host, kept for controllers (set once in setup). */
export function setHost(host: AttendanceHost) {
  current = host
}

export function useHost(): AttendanceHost {
  if (!current) throw new Error('The attendance plugin is not set up')
  return current
}
