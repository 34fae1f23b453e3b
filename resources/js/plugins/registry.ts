import type { Component } from 'vue'

/*
| UI slot registry. A plugin's Vue parts are declared in plugins/<id>/ui/index.ts
| with defineUiPlugin(); the host mounts them into named slots for schools where
| the plugin is enabled.
*/
export type SlotName =
  | 'classroom.panel'
  | 'classroom.stage'
  | 'classroom.toolbar'
  | 'classroom.overlay'
  /** Extra content per room in a room overview (e.g. breakouts); the component gets a `room` prop. */
  | 'classroom.room_overview'
  | 'dashboard.teacher'
  | 'dashboard.student'
  /** On a parent's dashboard, once per linked child; the component gets a `child` prop ({ id, fullName }). */
  | 'dashboard.parent'
  | 'dashboard.admin'

export interface SlotEntry {
  key: string
  component: Component
  /** Tab title for panels, button label for stage modes. */
  title?: string
  order?: number
  roles?: ('teacher' | 'student')[]
}

export interface UiPlugin {
  id: string
  slots: Partial<Record<SlotName, SlotEntry[]>>
}

export function defineUiPlugin(plugin: UiPlugin) {
  return plugin
}

const modules = import.meta.glob<{ default: UiPlugin }>('../../../plugins/*/ui/index.ts', { eager: true })
const uiPlugins = Object.values(modules).map((m) => m.default)

export interface MountedEntry extends SlotEntry {
  pluginId: string
}

export function slotEntries(slot: SlotName, enabled: (id: string) => boolean, role?: 'teacher' | 'student'): MountedEntry[] {
  return uiPlugins
    .filter((plugin) => enabled(plugin.id))
    .flatMap((plugin) => (plugin.slots[slot] ?? []).map((entry) => ({ ...entry, pluginId: plugin.id })))
    .filter((entry) => !entry.roles || !role || entry.roles.includes(role))
    .sort((a, b) => (a.order ?? 100) - (b.order ?? 100))
}
